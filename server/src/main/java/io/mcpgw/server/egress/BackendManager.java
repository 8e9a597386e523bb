package io.mcpgw.server.egress;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.GatewayVersion;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.lifecycle.ManagedService;
import io.mcpgw.server.plugin.ExtensionKind;
import io.mcpgw.server.plugin.ExtensionRegistry;
import io.mcpgw.server.plugin.HostExtensionContext;
import io.mcpgw.spi.transport.BackendTransport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The configured backends. Their transports are created (and so their configuration checked) when the gateway is
 * assembled; on start each one is connected on its own virtual thread, and a backend that fails is reported and
 * left out while the others serve.
 */
@Singleton
public final class BackendManager implements ManagedService {

    private final List<Backend> backends = new ArrayList<>();
    private final CountDownLatch allTried;

    @Inject
    BackendManager(McpgwConfig config, ExtensionRegistry registry, InstallPaths paths, Clock clock) {
        for (BackendConfig backend : config.backends()) {
            BackendTransport transport = registry.create(ExtensionKind.TRANSPORT, backend.transport(), BackendTransport.class,
                    factory -> new HostExtensionContext(backend.transport(), factory, clock,
                            paths.resolve(config.server().dataDirectory()), GatewayVersion.full()));
            backends.add(new Backend(backend, transport));
        }
        allTried = new CountDownLatch(backends.size());
    }

    @Override
    public String name() {
        return "backends";
    }

    @Override
    public void start() {
        for (Backend backend : backends) {
            Thread.ofVirtual().name("connect-" + backend.id()).start(() -> {
                try {
                    backend.connect();
                } finally {
                    allTried.countDown();
                }
            });
        }
    }

    /** Whether every backend has been tried, whatever the outcome. */
    public boolean allTried() {
        return allTried.getCount() == 0;
    }

    public Map<String, BackendStatus> statuses() {
        Map<String, BackendStatus> statuses = new LinkedHashMap<>();
        backends.forEach(backend -> statuses.put(backend.id(), backend.status()));
        return statuses;
    }

    @Override
    public void stop() throws InterruptedException {
        List<Thread> closing = new ArrayList<>();
        for (Backend backend : backends) {
            closing.add(Thread.ofVirtual().name("close-" + backend.id()).start(backend::close));
        }
        for (Thread thread : closing) {
            thread.join();
        }
    }
}
