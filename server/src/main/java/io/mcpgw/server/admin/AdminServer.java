package io.mcpgw.server.admin;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.AdminConfig;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.ingress.HttpServer;
import io.mcpgw.server.lifecycle.ManagedService;
import io.mcpgw.server.tls.TlsContext;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The admin listener, apart from the MCP one so it can stay on loopback (or a management network): the admin API,
 * and the web console's files under {@code /console/}; none without {@code admin:}.
 */
@Singleton
public final class AdminServer implements ManagedService {

    private static final Logger LOG = LogManager.getLogger(AdminServer.class);

    private final Optional<AdminConfig> config;
    private final AdminApi api;
    private final ConsoleAssets console;
    private final InstallPaths paths;
    private final Duration fileCheckInterval;
    private Optional<TlsContext> tls = Optional.empty();
    private Undertow undertow;
    private ExecutorService virtualThreads;
    private volatile InetSocketAddress address;

    @Inject
    AdminServer(McpgwConfig config, AdminApi api, ConsoleAssets console, InstallPaths paths) {
        this.config = config.admin();
        this.paths = paths;
        this.fileCheckInterval = config.reload().interval();
        this.api = api;
        this.console = console;
    }

    @Override
    public String name() {
        return "admin listener";
    }

    @Override
    public void start() throws IOException {
        if (config.isEmpty()) {
            return;
        }
        AdminConfig admin = config.get();
        Undertow.Builder builder = Undertow.builder().setIoThreads(1).setWorkerThreads(1);
        if (admin.listenerTls().isPresent()) {
            tls = Optional.of(TlsContext.listener("the admin listener", admin.listenerTls().get(), paths, fileCheckInterval));
            tls.get().listen(builder, admin.port(), admin.host());
        } else {
            builder.addHttpListener(admin.port(), admin.host());
        }
        virtualThreads = Executors.newVirtualThreadPerTaskExecutor();
        undertow = builder
                .setHandler(exchange -> {
                    HttpHandler handler = ConsoleAssets.serves(exchange.getRequestPath()) ? console : api;
                    if (exchange.isInIoThread()) {
                        exchange.dispatch(virtualThreads, handler);
                    } else {
                        handler.handleRequest(exchange);
                    }
                })
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            virtualThreads.close();
            tls.ifPresent(TlsContext::close);
            throw new IOException("cannot listen on " + admin.host() + ":" + admin.port() + " for the admin API: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        address = (InetSocketAddress) undertow.getListenerInfo().getFirst().getAddress();
        LOG.info("mcpgw admin API listening on {}", uri().orElseThrow());
    }

    /** Where the admin API listens, e.g. {@code http://127.0.0.1:9090} ({@code https} with TLS); empty when there is none. */
    public Optional<URI> uri() {
        InetSocketAddress bound = address;
        if (bound == null) {
            return Optional.empty();
        }
        return Optional.of(HttpServer.uriOf(bound, tls.isPresent()));
    }

    @Override
    public void stop() {
        if (undertow != null) {
            undertow.stop();
            virtualThreads.close();
            tls.ifPresent(TlsContext::close);
            address = null;
        }
    }
}
