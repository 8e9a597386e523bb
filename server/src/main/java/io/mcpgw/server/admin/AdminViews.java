package io.mcpgw.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.GatewayVersion;
import io.mcpgw.server.audit.AuditJournal;
import io.mcpgw.server.catalog.Agents;
import io.mcpgw.server.catalog.Catalog;
import io.mcpgw.server.catalog.PinnedTool;
import io.mcpgw.server.cluster.ClusterNode;
import io.mcpgw.server.cluster.NodeDirectory;
import io.mcpgw.server.config.ConfigLoader;
import io.mcpgw.server.egress.Backend;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.egress.BackendStatus;
import io.mcpgw.server.egress.ListKind;
import io.mcpgw.server.governance.HaltingState;
import io.mcpgw.server.governance.TenantUsage;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.session.SessionStore;
import io.mcpgw.server.telemetry.CallSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** How the admin API shows the gateway's parts: as JSON, with definitions' secrets redacted. */
@Singleton
final class AdminViews {

    private final Operator operator;
    private final BackendManager backends;
    private final Catalog catalog;
    private final SessionStore sessions;
    private final AuditJournal journal;
    private final Optional<NodeDirectory> cluster;
    private final Instant started = Instant.now();

    @Inject
    AdminViews(Operator operator, BackendManager backends, Catalog catalog, SessionStore sessions, AuditJournal journal,
            Optional<NodeDirectory> cluster) {
        this.journal = journal;
        this.cluster = cluster;
        this.operator = operator;
        this.backends = backends;
        this.catalog = catalog;
        this.sessions = sessions;
    }

    ObjectNode status() {
        ObjectNode status = JsonRpc.MAPPER.createObjectNode();
        status.put("version", GatewayVersion.full());
        status.put("startedAt", started.toString());
        status.put("uptimeSeconds", Duration.between(started, Instant.now()).toSeconds());
        status.put("sessions", sessions.count());
        Map<BackendStatus.State, Integer> byState = new EnumMap<>(BackendStatus.State.class);
        backends.all().forEach(backend -> byState.merge(backend.status().state(), 1, Integer::sum));
        ObjectNode states = status.putObject("backends");
        byState.forEach((state, count) -> states.put(state.name().toLowerCase(Locale.ROOT), count));
        ObjectNode config = status.putObject("config");
        config.put("source", operator.configSource());
        List<String> differences = operator.differencesFromFile();
        config.put("matchesFile", differences.isEmpty());
        ArrayNode listed = config.putArray("differences");
        differences.forEach(listed::add);
        operator.lastReload().ifPresent(report -> config.set("lastReload", report.toJson()));
        ArrayNode audit = status.putArray("audit");
        for (AuditJournal.Backlog backlog : journal.backlog()) {
            audit.addObject().put("sink", backlog.sink()).put("queued", backlog.queued()).put("spooledBytes", backlog.spooledBytes());
        }
        cluster.ifPresentOrElse(nodes -> status.put("cluster", nodes.clusterName()), () -> status.putNull("cluster"));
        return status;
    }

    static ObjectNode tenant(TenantUsage usage) {
        ObjectNode json = JsonRpc.MAPPER.createObjectNode();
        json.put("id", usage.config().id());
        json.put("listed", usage.listed());
        json.put("sessions", usage.sessions());
        json.put("requestsInFlight", usage.requestsInFlight());
        json.set("definition", Redaction.redact(ConfigLoader.toJson(usage.config())));
        return json;
    }

    /** The cluster's name and its members, this one first. */
    static ObjectNode cluster(String name, List<ClusterNode> nodes) {
        ObjectNode json = JsonRpc.MAPPER.createObjectNode().put("name", name);
        ArrayNode members = json.putArray("members");
        for (ClusterNode node : nodes) {
            ObjectNode member = members.addObject().put("id", node.id().toString()).put("memberAddress", node.memberAddress());
            node.mcpAddress().ifPresent(address -> member.put("mcpAddress", address));
            member.put("state", node.state()).put("self", node.self());
        }
        return json;
    }

    /** Calls per backend over the window, one array entry per step (oldest first), with each step's start. */
    static ObjectNode calls(CallSeries.Window window) {
        ObjectNode json = JsonRpc.MAPPER.createObjectNode();
        json.put("step", window.step());
        ArrayNode times = json.putArray("times");
        int steps = window.backends().isEmpty() ? 0 : window.backends().getFirst().callsPerSecond().length;
        for (int index = 0; index < steps; index++) {
            times.add(window.startSecond() + (long) index * window.step());
        }
        ObjectNode byBackend = json.putObject("backends");
        for (CallSeries.Series series : window.backends()) {
            ObjectNode backend = byBackend.putObject(series.backend());
            Arrays.stream(series.callsPerSecond()).forEach(backend.putArray("callsPerSecond")::add);
            Arrays.stream(series.errors()).forEach(backend.putArray("errors")::add);
            Arrays.stream(series.p50Millis()).forEach(backend.putArray("p50Millis")::add);
            Arrays.stream(series.p99Millis()).forEach(backend.putArray("p99Millis")::add);
        }
        return json;
    }

    ObjectNode backend(Backend backend) {
        ObjectNode json = JsonRpc.MAPPER.createObjectNode();
        json.put("id", backend.id());
        json.put("state", backend.status().state().name().toLowerCase(Locale.ROOT));
        json.put("detail", backend.status().detail());
        json.put("circuit", backend.circuitState());
        json.put("connections", backend.clients().size());
        json.put("callsInFlight", backend.callsInFlight());
        json.put("sessions", backend.sessionCount());
        ObjectNode offered = json.putObject("offers");
        for (ListKind kind : ListKind.values()) {
            offered.put(kind.field(), backend.snapshot().items(kind).size());
        }
        json.set("definition", Redaction.redact(ConfigLoader.toJson(backend.config())));
        return json;
    }

    ArrayNode tools(Backend backend) {
        ArrayNode tools = JsonRpc.MAPPER.createArrayNode();
        for (Catalog.ToolReview review : catalog.review(backend)) {
            ObjectNode tool = tools.addObject();
            tool.put("name", review.definition().path("name").asText());
            tool.put("descriptorHash", review.descriptorHash());
            review.pin().ifPresentOrElse(pin -> tool.put("pinnedHash", pin.hash()), () -> tool.putNull("pinnedHash"));
            tool.put("state", review.blocked() ? "blocked" : review.pin().map(pin -> pin.hash().equals(review.descriptorHash()) ? "pinned" : "changed")
                    .orElse("unpinned"));
            tool.set("definition", review.definition());
            tool.set("pinnedDefinition", review.pin().flatMap(PinnedTool::definition).map(JsonNode.class::cast)
                    .orElse(NullNode.getInstance()));
        }
        return tools;
    }

    ObjectNode agent(Agents.Defined agent) {
        ObjectNode json = JsonRpc.MAPPER.createObjectNode();
        json.put("name", agent.config().name());
        json.put("sessions", sessions.all().stream().filter(session -> session.view().agent()
                .map(used -> used.name().equals(agent.config().name())).orElse(false)).count());
        json.set("definition", Redaction.redact(ConfigLoader.toJson(agent.config())));
        return json;
    }

    static ObjectNode session(ClientSession session, HaltingState halting) {
        ObjectNode json = JsonRpc.MAPPER.createObjectNode();
        json.put("id", session.id());
        json.put("tenant", session.principal().tenant());
        json.put("client", session.principal().client());
        json.put("endpoint", session.view().single().map(backend -> "/servers/" + backend.id() + "/")
                .or(() -> session.view().agent().map(agent -> "/agents/" + agent.name() + "/")).orElse("/"));
        session.view().agent().ifPresentOrElse(agent -> json.put("agent", agent.name()), () -> json.putNull("agent"));
        json.put("protocolVersion", session.protocolVersion());
        json.put("ageSeconds", session.age().toSeconds());
        json.put("invocations", halting.invocations());
        json.put("inFlight", session.inFlight());
        halting.haltedBecause().ifPresent(reason -> json.put("halted", reason));
        return json;
    }
}
