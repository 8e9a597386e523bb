package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.GatewayVersion;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.audit.AuditEventBuilder;
import io.mcpgw.server.audit.AuditJournal;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.credentials.CredentialBroker;
import io.mcpgw.server.lifecycle.ManagedService;
import io.mcpgw.server.plugin.ExtensionKind;
import io.mcpgw.server.plugin.ExtensionRegistry;
import io.mcpgw.server.plugin.HostExtensionContext;
import io.mcpgw.spi.audit.AuditEventType;
import io.mcpgw.spi.transport.BackendTransport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The configured backends. Their transports are created (and so their configuration checked) when the gateway is
 * assembled; on start each one connects on its own virtual thread, and one that fails is reported, left out and
 * retried while the others serve.
 */
@Singleton
public final class BackendManager implements ManagedService, Backend.Events, ServerMessages {

    private static final Logger LOG = LogManager.getLogger(BackendManager.class);

    private final Map<String, Backend> backends = new LinkedHashMap<>();
    private final List<Backend.Events> listeners = new CopyOnWriteArrayList<>();
    private volatile ServerMessages relay = ServerMessages.NONE;
    private final AuditJournal journal;

    @Inject
    BackendManager(McpgwConfig config, ExtensionRegistry registry, InstallPaths paths, Clock clock, CredentialBroker credentials,
            AuditJournal journal) {
        this.journal = journal;
        for (BackendConfig backend : config.backends()) {
            BackendTransport transport = registry.create(ExtensionKind.TRANSPORT, backend.transport(), BackendTransport.class,
                    factory -> new HostExtensionContext(backend.transport(), factory, clock,
                            paths.resolve(config.server().dataDirectory()), GatewayVersion.full()));
            backends.put(backend.id(), new Backend(backend, transport, this, this, () -> credentials.forGateway(backend.id()),
                    new Backend.Watcher() {
                        @Override
                        public void circuitChanged(String from, String to) {
                            BackendManager.this.circuitChanged(backend.id(), from, to);
                        }

                        @Override
                        public void healthChanged(BackendStatus from, BackendStatus to) {
                            BackendManager.this.healthChanged(backend.id(), from, to);
                        }
                    }));
        }
    }

    @Override
    public String name() {
        return "backends";
    }

    private void healthChanged(String backendId, BackendStatus from, BackendStatus to) {
        String was = from.state().name().toLowerCase(Locale.ROOT);
        String now = to.state().name().toLowerCase(Locale.ROOT);
        if (to.state() == BackendStatus.State.UP) {
            LOG.info("Backend '{}' is healthy again ({} -> {})", backendId, was, now);
        } else {
            LOG.warn("Backend '{}' health {} -> {}: {}", backendId, was, now, to.state() == BackendStatus.State.DEGRADED
                    ? "its pings are slow or missed; still served" : to.detail() + "; left out until it answers");
        }
        if (journal.enabled()) {
            journal.record(AuditEventBuilder.event(AuditEventType.BACKEND_HEALTH_CHANGED).backend(backendId).outcome(now)
                    .meta("from", was).build());
        }
    }

    private void circuitChanged(String backendId, String from, String to) {
        if (to.equals("OPEN")) {
            LOG.warn("Backend '{}' keeps failing: its circuit opened ({} -> {}); calls fail fast until it is probed", backendId, from, to);
        } else {
            LOG.info("Backend '{}' circuit {} -> {}", backendId, from, to);
        }
        if (journal.enabled()) {
            journal.record(AuditEventBuilder.event(AuditEventType.CIRCUIT_STATE_CHANGED).backend(backendId).outcome(to.toLowerCase(Locale.ROOT))
                    .meta("from", from.toLowerCase(Locale.ROOT)).build());
        }
    }

    @Override
    public void start() {
        backends.values().forEach(Backend::start);
    }

    /** Whether every backend has been tried once, whatever the outcome. */
    public boolean allTried() {
        return backends.values().stream().allMatch(Backend::tried);
    }

    /** In configuration order. */
    public List<Backend> all() {
        return List.copyOf(backends.values());
    }

    public Optional<Backend> get(String id) {
        return Optional.ofNullable(backends.get(id));
    }

    public Map<String, BackendStatus> statuses() {
        Map<String, BackendStatus> statuses = new LinkedHashMap<>();
        backends.forEach((id, backend) -> statuses.put(id, backend.status()));
        return statuses;
    }

    public void addListener(Backend.Events listener) {
        listeners.add(listener);
    }

    /** Where backends' requests and notifications for clients go. */
    public void relayTo(ServerMessages messages) {
        relay = messages;
    }

    @Override
    public void onRequest(Backend backend, BackendLink link, ObjectNode request) {
        relay.onRequest(backend, link, request);
    }

    @Override
    public void onNotification(Backend backend, BackendLink link, ObjectNode notification) {
        relay.onNotification(backend, link, notification);
    }

    @Override
    public void onOpened(Backend backend, BackendLink link) {
        relay.onOpened(backend, link);
    }

    @Override
    public void onClosed(BackendLink link) {
        relay.onClosed(link);
    }

    @Override
    public void onCatalogChanged(Backend backend, Set<ListKind> lists) {
        listeners.forEach(listener -> listener.onCatalogChanged(backend, lists));
    }

    @Override
    public void stop() throws InterruptedException {
        List<Thread> closing = new ArrayList<>();
        for (Backend backend : backends.values()) {
            closing.add(Thread.ofVirtual().name("close-" + backend.id()).start(backend::close));
        }
        for (Thread thread : closing) {
            thread.join();
        }
    }
}
