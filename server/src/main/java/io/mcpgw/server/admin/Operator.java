package io.mcpgw.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.monitor.GatewayMonitor;
import io.mcpgw.server.catalog.AgentRegistry;
import io.mcpgw.server.catalog.Agents;
import io.mcpgw.server.config.AgentConfig;
import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.config.ConfigLoader;
import io.mcpgw.server.config.ConfigSource;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.config.StartupException;
import io.mcpgw.server.egress.Backend;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.egress.BackendRegistry;
import io.mcpgw.server.egress.BackendStatus;
import io.mcpgw.server.governance.Governance;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.session.Listeners;
import io.mcpgw.server.session.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What an operator changes in the running gateway: backends and agents added, redefined or removed, backends held
 * back, sessions ended, and the configuration file reloaded. Definitions are checked (a backend prepared, an agent
 * defined) and then written to their registries, which the backend manager and the agents follow. A session whose
 * view was built on something that changed (its backend's endpoint, its agent, its tenant's rules) is ended, so its
 * client starts over under the new rules rather than keep the old ones.
 */
@Singleton
public final class Operator {

    private static final Logger LOG = LogManager.getLogger(Operator.class);

    /** Sections a reload cannot change in a running gateway: they are read once, at start. */
    private static final List<String> FIXED_SECTIONS = List.of("server", "plugins", "identity", "policy", "credentials", "audit",
            "journal", "admin", "reload", "telemetry", "cluster");

    private final BackendManager backends;
    private final BackendRegistry backendDefinitions;
    private final Agents agents;
    private final AgentRegistry agentDefinitions;
    private final Governance governance;
    private final SessionStore sessions;
    private final Listeners listeners;
    private final ConfigSource source;
    private final GatewayMonitor monitor;
    /** What the file said when it was last read: what run-time changes are told apart from. */
    private volatile McpgwConfig fileConfig;
    private volatile Optional<ReloadReport> lastReload = Optional.empty();

    @Inject
    Operator(BackendManager backends, BackendRegistry backendDefinitions, Agents agents, AgentRegistry agentDefinitions,
            Governance governance, SessionStore sessions, Listeners listeners, ConfigSource source, McpgwConfig config, GatewayMonitor monitor) {
        this.listeners = listeners;
        this.backends = backends;
        this.backendDefinitions = backendDefinitions;
        this.agents = agents;
        this.agentDefinitions = agentDefinitions;
        this.governance = governance;
        this.sessions = sessions;
        this.source = source;
        this.fileConfig = config;
        this.monitor = monitor;
    }

    /**
     * Adds a backend and starts it.
     *
     * @throws StartupException when its transport refuses its section
     * @throws IllegalStateException when a backend has its id
     */
    public Backend addBackend(BackendConfig config) {
        Backend backend = backends.prepare(config);
        try {
            backendDefinitions.add(config);
        } catch (IllegalStateException e) {
            backends.discard(backend);
            throw e;
        }
        return backend;
    }

    /** Puts a new definition in place of a backend's; empty when there is none. Returns once the old one stopped. */
    public Optional<Backend> redefineBackend(BackendConfig config, Duration drain) throws InterruptedException {
        Optional<Backend> old = backends.get(config.id());
        if (old.isEmpty()) {
            return Optional.empty();
        }
        Backend fresh = backends.prepare(config);
        backendDefinitions.change(List.of(config), List.of(), drain);
        endSessions(session -> servesBackend(session, config.id()));
        await(backends.stopped(old.get()));
        return Optional.of(fresh);
    }

    /** Takes a backend out; empty when there is none. Returns once it stopped. */
    public Optional<Backend> removeBackend(String id, Duration drain) throws InterruptedException {
        Optional<Backend> backend = backends.get(id);
        if (backend.isEmpty()) {
            return backend;
        }
        backendDefinitions.change(List.of(), List.of(id), drain);
        endSessions(session -> servesBackend(session, id));
        await(backends.stopped(backend.get()));
        return backend;
    }

    /**
     * Adds an agent composed at run time.
     *
     * @throws StartupException when one of its policies refuses its section
     * @throws IllegalStateException when an agent has its name
     */
    public Agents.Defined addAgent(AgentConfig config) {
        Agents.Defined added = agents.define(config);
        try {
            agentDefinitions.add(config);
        } catch (IllegalStateException e) {
            agents.discard(added);
            throw e;
        }
        return added;
    }

    /**
     * Removes an agent and ends its sessions; empty when there is none.
     *
     * @throws IllegalStateException when a tenant is limited to it (change the tenant first)
     */
    public Optional<Agents.Defined> removeAgent(String name) {
        fileConfig.tenants().stream().filter(tenant -> tenant.onlyAgents() && tenant.agents().contains(name)).findFirst()
                .ifPresent(tenant -> {
                    throw new IllegalStateException("tenant '" + tenant.id() + "' is limited to agent '" + name + "'; change the tenant first");
                });
        Optional<Agents.Defined> removed = agents.get(name);
        agentDefinitions.remove(name);
        removed.ifPresent(agent -> endSessions(session -> usesAgent(session, Set.of(name))));
        return removed;
    }

    public boolean endSession(String id) {
        return sessions.remove(id);
    }

    /**
     * Reads the configuration again and applies it: backends added, redefined (restarted) and removed (drained),
     * agents and tenants replaced, all checked before anything changes, so a bad file changes nothing. Sections
     * read only at start are reported, not applied.
     *
     * @param trigger who asked, for the log and the audit trail
     * @throws StartupException why the file cannot be applied
     */
    public synchronized ReloadReport reload(String trigger) {
        McpgwConfig next;
        try {
            next = source.load();
        } catch (StartupException e) {
            failed(trigger, e);
            throw e;
        }
        List<Backend> prepared = new ArrayList<>();
        List<Agents.Defined> defined = new ArrayList<>();
        List<AgentConfig> nextAgents = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> redefined = new ArrayList<>();
        try {
            for (BackendConfig backend : next.backends()) {
                Optional<BackendConfig> current = backendDefinitions.get(backend.id());
                if (current.isEmpty() || !sameDefinition(current.get(), backend)) {
                    prepared.add(backends.prepare(backend));
                    (current.isEmpty() ? added : redefined).add(backend.id());
                }
            }
            for (AgentConfig agent : next.agents()) {
                Optional<AgentConfig> current = agentDefinitions.get(agent.name());
                if (current.isPresent() && sameDefinition(current.get(), agent)) {
                    nextAgents.add(current.get());
                } else {
                    defined.add(agents.define(agent));
                    nextAgents.add(agent);
                }
            }
        } catch (RuntimeException e) {
            prepared.forEach(backends::discard);
            defined.forEach(agents::discard);
            StartupException refused = e instanceof StartupException startup ? startup
                    : new StartupException("the configuration cannot be applied: " + e.getMessage(), e);
            failed(trigger, refused);
            throw refused;
        }
        Set<String> wanted = new HashSet<>();
        next.backends().forEach(backend -> wanted.add(backend.id()));
        List<String> removed = backendDefinitions.all().stream().map(BackendConfig::id).filter(id -> !wanted.contains(id)).toList();

        Set<String> changedAgents = new HashSet<>();
        agentDefinitions.all().forEach(agent -> changedAgents.add(agent.name()));
        nextAgents.forEach(agent -> {
            if (agentDefinitions.get(agent.name()).filter(current -> current == agent).isPresent()) {
                changedAgents.remove(agent.name());
            }
        });
        Set<String> changedTenants = governance.reconfigure(next.tenants(), next.unknownTenants(), next.limits());
        agentDefinitions.replaceAll(nextAgents);
        Set<String> restarted = new HashSet<>(redefined);
        restarted.addAll(removed);
        backendDefinitions.change(prepared.stream().map(Backend::config).toList(), removed, next.reload().drainTimeout());
        int ended = endSessions(session -> session.view().single().map(backend -> restarted.contains(backend.id())).orElse(false)
                || usesAgent(session, changedAgents) || changedTenants.contains(session.principal().tenant()));

        JsonNode before = ConfigLoader.toJson(fileConfig);
        JsonNode after = ConfigLoader.toJson(next);
        List<String> restartRequired = FIXED_SECTIONS.stream()
                .filter(section -> !Objects.equals(before.get(section), after.get(section))).toList();
        fileConfig = next;
        ReloadReport report = new ReloadReport(Instant.now(), trigger, added, redefined, removed, List.copyOf(changedAgents),
                List.copyOf(changedTenants), ended, restartRequired);
        lastReload = Optional.of(report);
        monitor.reloaded(trigger, report.summary(), ended);
        return report;
    }

    public Optional<ReloadReport> lastReload() {
        return lastReload;
    }

    /** How the running gateway differs from its configuration file, one line per backend or agent changed at run time. */
    public List<String> differencesFromFile() {
        List<String> differences = new ArrayList<>();
        Map<String, BackendConfig> inFile = new LinkedHashMap<>();
        fileConfig.backends().forEach(backend -> inFile.put(backend.id(), backend));
        for (Backend backend : backends.all()) {
            BackendConfig written = inFile.remove(backend.id());
            if (written == null) {
                differences.add("backend '" + backend.id() + "' was added at run time");
            } else if (!sameDefinition(written, backend.config())) {
                differences.add("backend '" + backend.id() + "' was redefined at run time");
            }
            BackendStatus.State state = backend.status().state();
            if (written != null && written.enabled() && (state == BackendStatus.State.DISABLED || state == BackendStatus.State.DRAINING)) {
                differences.add("backend '" + backend.id() + "' was disabled at run time");
            } else if (written != null && !written.enabled() && state != BackendStatus.State.DISABLED) {
                differences.add("backend '" + backend.id() + "' was enabled at run time");
            }
        }
        inFile.keySet().forEach(id -> differences.add("backend '" + id + "' was removed at run time"));
        Map<String, AgentConfig> agentsInFile = new LinkedHashMap<>();
        fileConfig.agents().forEach(agent -> agentsInFile.put(agent.name(), agent));
        for (Agents.Defined agent : agents.all()) {
            AgentConfig written = agentsInFile.remove(agent.config().name());
            if (written == null) {
                differences.add("agent '" + agent.config().name() + "' was added at run time");
            } else if (!sameDefinition(written, agent.config())) {
                differences.add("agent '" + agent.config().name() + "' was redefined at run time");
            }
        }
        agentsInFile.keySet().forEach(name -> differences.add("agent '" + name + "' was removed at run time"));
        return differences;
    }

    /** Where the configuration is read from, for status. */
    public String configSource() {
        return source.file().map(Object::toString).orElse("(given in code)");
    }

    private void failed(String trigger, StartupException e) {
        monitor.reloadRefused(trigger, e.getMessage());
    }

    /**
     * Ends the sessions {@code ending} names, and the {@code subscriptions/listen} streams it names: what their view
     * was built on changed, so each hears that its lists changed and its stream ends, for its client to listen anew.
     * Counts the sessions.
     */
    private int endSessions(Predicate<ClientSession> ending) {
        listeners.all().stream().filter(ending).forEach(listeners::viewChanged);
        int ended = 0;
        for (ClientSession session : sessions.all()) {
            if (ending.test(session) && sessions.remove(session.id())) {
                ended++;
            }
        }
        return ended;
    }

    private static boolean servesBackend(ClientSession session, String backendId) {
        return session.view().single().map(backend -> backend.id().equals(backendId)).orElse(false);
    }

    private static boolean usesAgent(ClientSession session, Set<String> names) {
        return session.view().agent().map(agent -> names.contains(agent.name())).orElse(false);
    }

    /** Two definitions as the file would hold them: where they were written does not count. */
    private static boolean sameDefinition(Object one, Object other) {
        return ConfigLoader.toJson(one).equals(ConfigLoader.toJson(other));
    }

    private static void await(CompletableFuture<Void> done) throws InterruptedException {
        try {
            done.get();
        } catch (ExecutionException e) {
            LOG.warn("A backend did not stop cleanly: {}", e.getCause().getMessage());
        }
    }
}
