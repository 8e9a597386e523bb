package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.GatewayVersion;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.credentials.CredentialBroker;
import io.mcpgw.server.lifecycle.ManagedService;
import io.mcpgw.server.monitor.GatewayMonitor;
import io.mcpgw.server.plugin.ExtensionKind;
import io.mcpgw.server.plugin.ExtensionRegistry;
import io.mcpgw.server.plugin.HostExtensionContext;
import io.mcpgw.spi.transport.BackendTransport;
import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The backends running here, one for each definition in the {@link BackendRegistry}: those configured, and those an
 * operator adds, redefines or removes at run time, which it follows as the registry changes. A backend's transport
 * is created (and so its section checked) before it joins: whoever writes a definition prepares it here first, and
 * the prepared one is served when the definition arrives; one written elsewhere is prepared when it arrives. Each
 * connects on its own virtual thread, and one that fails is reported, left out and retried while the others serve.
 * One that leaves drains first.
 */
@Singleton
public final class BackendManager implements ManagedService, Upstream.Events, ServerMessages, BackendRegistry.Listener {

    private static final Logger LOG = LogManager.getLogger(BackendManager.class);

    /** Serializes changes to the set of backends; readers take the current map without it. */
    private final Object changes = new Object();
    /** Replaced whole on each change, in the registry's order (configured first, those added at run time last). */
    private volatile Map<String, Backend> backends = Map.of();
    /** Prepared for a definition about to be put in the registry, by that definition (the same object, not an equal one). */
    private final Map<BackendConfig, Backend> prepared = Collections.synchronizedMap(new IdentityHashMap<>());
    /** Those that left, until they have stopped. */
    private final Map<Backend, CompletableFuture<Void>> retiring = new ConcurrentHashMap<>();
    private volatile boolean running;
    private final List<Upstream.Events> listeners = new CopyOnWriteArrayList<>();
    private volatile ServerMessages relay = ServerMessages.NONE;
    private final ExtensionRegistry registry;
    private final Clock clock;
    private final Path dataDirectory;
    private final CredentialBroker credentials;
    private final GatewayMonitor monitor;

    @Inject
    BackendManager(McpgwConfig config, BackendRegistry definitions, ExtensionRegistry registry, InstallPaths paths, Clock clock,
            CredentialBroker credentials, GatewayMonitor monitor) {
        this.monitor = monitor;
        this.registry = registry;
        this.clock = clock;
        this.dataDirectory = paths.resolve(config.server().dataDirectory());
        this.credentials = credentials;
        Map<String, Backend> configured = new LinkedHashMap<>();
        for (BackendConfig backend : definitions.all()) {
            configured.put(backend.id(), create(backend));
        }
        backends = Collections.unmodifiableMap(configured);
    }

    @Override
    public String name() {
        return "backends";
    }

    /**
     * A backend from its section, its transport created (which checks the section); not started, and served once
     * this very definition is put in the registry.
     */
    public Backend prepare(BackendConfig backend) {
        Backend made = create(backend);
        prepared.put(backend, made);
        return made;
    }

    private Backend create(BackendConfig backend) {
        BackendTransport transport = registry.create(ExtensionKind.TRANSPORT, backend.transport(), BackendTransport.class,
                factory -> new HostExtensionContext(backend.transport(), factory, clock, dataDirectory, GatewayVersion.full()));
        return new Backend(backend, transport, this, this, () -> credentials.forGateway(backend.id()), new BackendSupervisor.Watcher() {
            @Override
            public void circuitChanged(String from, String to) {
                monitor.circuitChanged(backend.id(), from, to);
            }

            @Override
            public void stateChanged(BackendStatus from, BackendStatus to) {
                monitor.backendStateChanged(backend.id(), from.state().name().toLowerCase(Locale.ROOT),
                        to.state().name().toLowerCase(Locale.ROOT), to.detail());
            }
        });
    }

    /** Lets go of a prepared backend that will not be served after all. */
    public void discard(Backend backend) {
        prepared.remove(backend.config());
        backend.close();
    }

    /**
     * Follows a change of the registry: a definition that is new or no longer the one served brings up its
     * (prepared) backend in its place, started once the manager runs; whatever it replaces, and whatever has no
     * definition any more, is left out at once, finishes its calls in flight for up to {@code drain}, and is stopped.
     */
    @Override
    public void changed(List<BackendConfig> definitions, Duration drain) {
        List<Backend> incoming = new ArrayList<>();
        List<Backend> leaving = new ArrayList<>();
        synchronized (changes) {
            Map<String, Backend> updated = new LinkedHashMap<>();
            for (BackendConfig definition : definitions) {
                Backend current = backends.get(definition.id());
                if (current != null && current.config() == definition) {
                    updated.put(definition.id(), current);
                } else {
                    Backend fresh = Optional.ofNullable(prepared.remove(definition)).orElseGet(() -> create(definition));
                    updated.put(definition.id(), fresh);
                    incoming.add(fresh);
                    Optional.ofNullable(current).ifPresent(leaving::add);
                }
            }
            backends.values().stream().filter(old -> !updated.containsKey(old.id())).forEach(leaving::add);
            backends = Collections.unmodifiableMap(updated);
            if (running) {
                incoming.forEach(Backend::start);
            }
        }
        Set<String> replaced = new HashSet<>();
        leaving.forEach(old -> replaced.add(old.id()));
        incoming.forEach(backend -> LOG.info("Backend '{}' {}", backend.id(), replaced.contains(backend.id())
                ? "redefined; the old definition drains" : "added"));
        leaving.stream().filter(old -> !backends.containsKey(old.id()))
                .forEach(old -> LOG.info("Backend '{}' removed; it drains", old.id()));
        leaving.forEach(old -> onCatalogChanged(old, EnumSet.allOf(ListKind.class)));
        leaving.forEach(old -> {
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> retire(old, drain),
                    runnable -> Thread.ofVirtual().name("retire-" + old.id()).start(runnable));
            retiring.put(old, stopped);
            stopped.whenComplete((done, failed) -> retiring.remove(old));
        });
    }

    /** Done once a backend that left (replaced or removed) has finished its calls in flight and stopped. */
    public CompletableFuture<Void> stopped(Backend left) {
        return retiring.getOrDefault(left, CompletableFuture.completedFuture(null));
    }

    private static void retire(Backend old, Duration drain) {
        try {
            old.drain(drain);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            old.close();
        }
    }

    @Override
    public void start() {
        synchronized (changes) {
            running = true;
            backends.values().forEach(Backend::start);
        }
    }

    /** Whether every backend has been tried once, whatever the outcome. */
    public boolean allTried() {
        return backends.values().stream().allMatch(Backend::tried);
    }

    /** In configuration order, with what only an operator does to them. */
    public List<Backend> all() {
        return List.copyOf(backends.values());
    }

    /** In configuration order, as the layers above egress use them. */
    public List<Upstream> upstreams() {
        return List.copyOf(backends.values());
    }

    public Optional<Backend> get(String id) {
        return Optional.ofNullable(backends.get(id));
    }

    /** The backend with this id, as the layers above egress use it. */
    public Optional<Upstream> upstream(String id) {
        return Optional.ofNullable(backends.get(id));
    }

    public Map<String, BackendStatus> statuses() {
        Map<String, BackendStatus> statuses = new LinkedHashMap<>();
        backends.forEach((id, backend) -> statuses.put(id, backend.status()));
        return statuses;
    }

    public void addListener(Upstream.Events listener) {
        listeners.add(listener);
    }

    /** Where backends' requests and notifications for clients go. */
    public void relayTo(ServerMessages messages) {
        relay = messages;
    }

    @Override
    public void onRequest(Upstream upstream, BackendClient client, ObjectNode request) {
        relay.onRequest(upstream, client, request);
    }

    @Override
    public void onNotification(Upstream upstream, BackendClient client, ObjectNode notification) {
        relay.onNotification(upstream, client, notification);
    }

    @Override
    public void onOpened(Upstream upstream, BackendClient client) {
        relay.onOpened(upstream, client);
    }

    @Override
    public void onClosed(BackendClient client) {
        relay.onClosed(client);
    }

    @Override
    public void onCatalogChanged(Upstream upstream, Set<ListKind> lists) {
        listeners.forEach(listener -> listener.onCatalogChanged(upstream, lists));
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        List<Thread> closing = new ArrayList<>();
        for (Backend backend : backends.values()) {
            closing.add(Thread.ofVirtual().name("close-" + backend.id()).start(backend::close));
        }
        for (Thread thread : closing) {
            thread.join();
        }
    }
}
