package io.mcpgw.server.governance;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.Agent;
import io.mcpgw.server.catalog.Agents;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.config.LimitsConfig;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.config.TenantConfig;
import io.mcpgw.server.config.UnknownTenants;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.monitor.ClientMonitor;
import io.mcpgw.server.plugin.ConfiguredExtensions;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.session.Invocation;
import io.mcpgw.spi.identity.Identity;
import io.mcpgw.spi.policy.Decision;
import io.mcpgw.spi.policy.PolicyEvaluator;
import io.mcpgw.spi.policy.PolicyInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Who may do what, decided where it happens: a tenant's sessions are let in at {@code initialize} (known tenant,
 * {@code maxSessions}) and see only what its grants show; each invocation passes its quotas (rate, then
 * concurrency) and then the configured policies in order. Throttling ({@code -32009}, with when to retry) is told
 * apart from denial ({@code -32007}, with the rule's code).
 */
@Singleton
public final class Governance {

    private static final Logger LOG = LogManager.getLogger(Governance.class);
    private static final TypeReference<Map<String, Object>> PLAIN_MAP = new TypeReference<>() {};
    /** When to try again after the concurrency cap: a guess, since nobody knows when a call in flight ends. */
    private static final long CONCURRENCY_RETRY_MILLIS = 100;
    /** How long a sessionless key's halting counts last when the limits set no {@code maxDuration}. */
    static final Duration SESSIONLESS_WINDOW = Duration.ofHours(1);
    /** The sessionless keys whose counts are kept at once; past it the least used go first. */
    private static final long MAX_SESSIONLESS_KEYS = 100_000;

    /** The tenants and gateway-wide limits, replaced whole by a reload. */
    private record Rules(Map<String, Tenant> tenants, UnknownTenants unknownTenants, LimitsConfig limits) {}

    private volatile Rules rules;
    private final Map<String, Tenant> unlisted = new ConcurrentHashMap<>();
    private final List<PolicyEvaluator> policies;
    private final boolean policiesNeverBlock;
    private final Agents agents;
    private final ClientMonitor monitor;
    private final QuotaLedger ledger;
    /** Keyed by the agent as defined (by identity), so a redefined agent starts afresh and a dropped one is forgotten. */
    private final Cache<Agent, SamplingGuard> agentSampling = Caffeine.newBuilder().weakKeys().build();
    /** Keyed by the session (by identity), weakly: a session's halting state goes with it. */
    private final Cache<ClientSession, HaltingState> halting = Caffeine.newBuilder().weakKeys().build();
    /**
     * Outside sessions (modern requests, {@code server.stateless}), by principal, endpoint and the client's
     * correlation; each kept for its window (the limits' {@code maxDuration}, else {@link #SESSIONLESS_WINDOW}),
     * after which the next request starts a new one.
     */
    private final Cache<SessionlessKey, HaltingState> sessionlessHalting = Caffeine.newBuilder()
            .expireAfter(Expiry.creating((SessionlessKey key, HaltingState state) -> state.window()))
            .maximumSize(MAX_SESSIONLESS_KEYS).build();

    @Inject
    Governance(McpgwConfig config, ConfiguredExtensions extensions, Agents agents, QuotaLedger ledger, ClientMonitor monitor) {
        this.ledger = ledger;
        this.monitor = monitor;
        this.policies = extensions.policies();
        this.policiesNeverBlock = policies.stream().allMatch(PolicyEvaluator::neverBlocks);
        this.agents = agents;
        reconfigure(config.tenants(), config.unknownTenants(), config.limits());
    }

    /**
     * Puts new tenants and limits in place at once. A tenant whose settings are unchanged keeps its live state
     * (sessions, calls in flight, its rate bucket).
     *
     * @return the tenants whose settings changed or that are gone, whose sessions were admitted under other rules
     */
    public synchronized Set<String> reconfigure(List<TenantConfig> tenants, UnknownTenants unknownTenants, LimitsConfig limits) {
        Map<String, Tenant> before = rules == null ? Map.of() : rules.tenants();
        Map<String, Tenant> after = new LinkedHashMap<>();
        Set<String> changed = new HashSet<>(before.keySet());
        for (TenantConfig tenant : tenants) {
            Tenant kept = before.get(tenant.id());
            if (kept != null && kept.config.equals(tenant)) {
                after.put(tenant.id(), kept);
                changed.remove(tenant.id());
            } else {
                after.put(tenant.id(), new Tenant(tenant, ledger));
            }
        }
        if (rules != null && rules.unknownTenants() != unknownTenants) {
            changed.addAll(unlisted.keySet());
            unlisted.clear();
        }
        rules = new Rules(after, unknownTenants, limits);
        return changed;
    }

    /**
     * Whether {@code principal} may use {@code endpoint} at all: a tenant limited to agents may use only those, and
     * a backend's own endpoint only when its grants show the backend. An unknown tenant is refused.
     */
    public boolean mayUse(View endpoint, Identity principal) {
        Tenant tenant = tenant(principal);
        if (tenant.config.onlyAgents() && endpoint.agent().map(agent -> !tenant.config.agents().contains(agent.name())).orElse(true)) {
            return false;
        }
        return endpoint.single().isEmpty() || endpoint.restrictedBy(tenant.grants).reachable();
    }

    /** What {@code principal} sees at {@code endpoint}: its tenant's grants applied; an unknown tenant is refused. */
    public View viewFor(View endpoint, Identity principal) {
        return endpoint.restrictedBy(tenant(principal).grants);
    }

    /**
     * Lets a new session in, counting it against {@code maxSessions}; the caller must {@link #track} the session it
     * then creates, which gives the place back when it ends.
     */
    public View admitSession(View endpoint, Identity principal) {
        Tenant tenant = tenant(principal);
        if (!tenant.quotas.openSession()) {
            throw new GatewayException(ErrorCode.THROTTLED, "tenant '" + tenant.config.id() + "' has its "
                    + tenant.config.quotas().maxSessions() + " sessions open (maxSessions); end one first");
        }
        return endpoint.restrictedBy(tenant.grants);
    }

    public void track(ClientSession session) {
        Tenant tenant = tenant(session.principal());
        monitor.sessionStarted(session);
        session.onClose(() -> {
            tenant.quotas.closeSession();
            monitor.sessionEnded(session);
        });
    }

    /**
     * The counts the session's halting limits are checked against, and whether one halted it; kept while the session is
     * (a stateless request's session, kept nowhere else, has its own for as long as it lives).
     */
    public HaltingState halting(ClientSession session) {
        if (session.sessionless()) {
            return sessionlessHalting.get(SessionlessKey.of(session), key -> new HaltingState(
                    Optional.ofNullable(limitsOf(session).maxDuration()).orElse(SESSIONLESS_WINDOW)));
        }
        return halting.get(session, started -> new HaltingState());
    }

    /** Whether admitting an invocation asks nothing that could block: every policy, at the top or an agent's, says it never blocks. */
    public boolean decidesAtOnce() {
        return policiesNeverBlock && agents.policiesNeverBlock();
    }

    /**
     * Lets one invocation through, or throws why not: the tenant's rate, its concurrency, then each policy.
     *
     * @return what to run when the invocation ends (it gives back its place in the concurrency cap)
     */
    public Runnable admitInvocation(Invocation invocation) {
        ClientSession session = invocation.session();
        Tenant tenant = tenant(session.principal());
        Runnable release = () -> { };
        Map<String, String> facts = Map.of();
        try {
            HaltingState halting = halting(session);
            long before;
            if (session.sessionless()) {
                // its own calls in flight are the key's: the session is this request's alone
                int running = halting.callStarted();
                release = halting::callEnded;
                before = halting.admit(limitsOf(session), halting.age(), running, passed -> monitor.halted(session, passed));
            } else {
                before = halting.admit(limitsOf(session), session.age(), session.inFlight(), passed -> monitor.halted(session, passed));
            }
            long waitNanos = tenant.quotas.takeRequest();
            if (waitNanos > 0) {
                throw throttled("tenant '" + tenant.config.id() + "' is over its " + tenant.config.quotas().requestsPerMinute()
                        + " requests per minute", TimeUnit.NANOSECONDS.toMillis(waitNanos) + 1, "requestsPerMinute");
            }
            Integer maxConcurrent = tenant.config.quotas().concurrentRequests();
            int inFlight = tenant.quotas.startCall();
            Runnable haltingRelease = release;
            release = () -> {
                haltingRelease.run();
                tenant.quotas.endCall();
            };
            if (maxConcurrent != null && inFlight > maxConcurrent) {
                throw throttled("tenant '" + tenant.config.id() + "' has " + maxConcurrent + " requests in flight (concurrentRequests)",
                        CONCURRENCY_RETRY_MILLIS, "concurrentRequests");
            }
            List<PolicyEvaluator> chain = session.view().agent().flatMap(agent -> agents.get(agent.name()))
                    .map(Agents.Defined::policies).filter(own -> !own.isEmpty()).map(own -> concat(policies, own)).orElse(policies);
            if (!chain.isEmpty()) {
                facts = new LinkedHashMap<>(2);
                Identity principal = session.principal();
                PolicyInput input = new PolicyInput(principal.tenant(), principal.client(), principal.scopes(),
                        session.view().agent().map(Agent::name),
                        invocation.backend().id(), invocation.method(), invocation.target(), invocation.namespacedTarget(),
                        plain(invocation.arguments()),
                        new PolicyInput.Counters(before, session.inFlight() - 1, inFlight - 1, session.age().toMillis()));
                for (PolicyEvaluator policy : chain) {
                    Decision decision = decide(policy, input);
                    switch (decision) {
                        case Decision.Allow allow -> facts.putAll(allow.metadata());
                        case Decision.Deny deny -> facts.putAll(deny.metadata());
                        case Decision.Throttle throttle -> { }
                    }
                    if (!(decision instanceof Decision.Allow)) {
                        throw refusal(decision);
                    }
                }
            }
        } catch (GatewayException refused) {
            release.run();
            monitor.decided(invocation, Optional.of(refused), facts);
            throw refused;
        }
        monitor.decided(invocation, Optional.empty(), facts);
        return release;
    }

    /**
     * A backend's {@code sampling/createMessage} params for this session, fitted to its tenant's and then its agent's
     * sampling rules; throws (for the backend to hear) past a sampling rate. A rewrite is audited.
     */
    public ObjectNode guardSampling(ClientSession session, String backendId, ObjectNode params) {
        List<String> changes = new ArrayList<>();
        try {
            ObjectNode fitted = tenant(session.principal()).sampling.fit(params, changes);
            Optional<Agent> agent = session.view().agent();
            if (agent.isPresent()) {
                fitted = agentSampling.get(agent.get(),
                        defined -> new SamplingGuard("agent '" + defined.name() + "'", defined.sampling())).fit(fitted, changes);
            }
            if (!changes.isEmpty()) {
                monitor.samplingRewritten(session, backendId, changes);
            }
            return fitted;
        } catch (GatewayException refused) {
            monitor.samplingRefused(session, backendId, refused);
            throw refused;
        }
    }

    /** The session's halting limits: the gateway's, tightened by its agent's. */
    private LimitsConfig limitsOf(ClientSession session) {
        LimitsConfig gatewayWide = rules.limits();
        return session.view().agent().map(agent -> gatewayWide.tightenedBy(agent.limits())).orElse(gatewayWide);
    }

    private static List<PolicyEvaluator> concat(List<PolicyEvaluator> first, List<PolicyEvaluator> then) {
        List<PolicyEvaluator> all = new ArrayList<>(first);
        all.addAll(then);
        return all;
    }

    private static Decision decide(PolicyEvaluator policy, PolicyInput input) {
        try {
            return policy.evaluate(input);
        } catch (RuntimeException e) {
            LOG.error("Policy {} failed; the invocation is denied", policy.getClass().getName(), e);
            return new Decision.Deny("policy-error", "a policy could not decide; the invocation is denied");
        }
    }

    private static GatewayException refusal(Decision decision) {
        return switch (decision) {
            case Decision.Deny deny -> new GatewayException(ErrorCode.POLICY_DENIED, deny.reason(),
                    JsonRpc.MAPPER.createObjectNode().put("code", deny.code()));
            case Decision.Throttle throttle -> throttled(throttle.reason(), throttle.retryAfter().toMillis(), null);
            case Decision.Allow allow -> throw new IllegalStateException("an allow is no refusal");
        };
    }

    /** A throttle the client sees with when to retry, and which quota when it is one of the tenant's. */
    private static GatewayException throttled(String reason, long retryAfterMillis, String quota) {
        ObjectNode data = JsonRpc.MAPPER.createObjectNode().put("retryAfterMillis", retryAfterMillis);
        if (quota != null) {
            data.put("quota", quota);
        }
        return new GatewayException(ErrorCode.THROTTLED, reason, data);
    }

    /** Every tenant with its current use: the configured ones in order, then those let in by {@code unknownTenants: allow}. */
    public List<TenantUsage> tenants() {
        List<TenantUsage> usage = new ArrayList<>();
        rules.tenants().values().forEach(tenant -> usage.add(usage(tenant, true)));
        unlisted.values().forEach(tenant -> usage.add(usage(tenant, false)));
        return usage;
    }

    private static TenantUsage usage(Tenant tenant, boolean listed) {
        return new TenantUsage(tenant.config, listed, tenant.quotas.sessions(), tenant.quotas.callsInFlight());
    }

    private Tenant tenant(Identity principal) {
        Rules current = rules;
        Tenant tenant = current.tenants().get(principal.tenant());
        if (tenant != null) {
            return tenant;
        }
        if (current.unknownTenants() == UnknownTenants.ALLOW) {
            try {
                return unlisted.computeIfAbsent(principal.tenant(), id -> new Tenant(new TenantConfig(id, null, null, null, null, null), ledger));
            } catch (IllegalArgumentException e) {
                throw new GatewayException(ErrorCode.FORBIDDEN, "tenant id refused: " + e.getMessage());
            }
        }
        throw new GatewayException(ErrorCode.FORBIDDEN, "tenant '" + principal.tenant() + "' is not configured here");
    }

    private static Map<String, Object> plain(JsonNode arguments) {
        return arguments != null && arguments.isObject() ? JsonRpc.MAPPER.convertValue(arguments, PLAIN_MAP) : Map.of();
    }
}
