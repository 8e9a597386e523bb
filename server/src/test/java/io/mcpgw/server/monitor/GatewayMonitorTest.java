package io.mcpgw.server.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.AssembledParts;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.audit.AuditEventType;
import io.mcpgw.spi.identity.Identity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens to the gateway itself, as the audit trail and the metrics show it. */
class GatewayMonitorTest {

    @TempDir
    Path directory;

    @Test
    void backendAndCircuitChangesAreAuditedAndCountedAsTransitions() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, true, "")) {
            GatewayMonitor monitor = gateway.get(GatewayMonitor.class);

            monitor.backendStateChanged("files", "up", "unavailable", "connection refused");
            monitor.circuitChanged("files", "CLOSED", "OPEN");

            List<JsonNode> events = gateway.events();
            assertThat(events).extracting(event -> event.path("type").asText())
                    .containsExactly(AuditEventType.BACKEND_HEALTH_CHANGED.wireName(), AuditEventType.CIRCUIT_STATE_CHANGED.wireName());
            assertThat(events).allSatisfy(event -> assertThat(event.path("backend").asText()).isEqualTo("files"));
            assertThat(events.get(0).path("outcome").asText()).isEqualTo("unavailable");
            assertThat(events.get(0).path("metadata").path("from").asText()).isEqualTo("up");
            assertThat(events.get(1).path("outcome").asText()).as("in lower case, as the metric").isEqualTo("open");
            assertThat(events.get(1).path("metadata").path("from").asText()).isEqualTo("closed");
            assertThat(gateway.metrics())
                    .contains("mcpgw_backend_transitions_total{backend=\"files\",from=\"up\",kind=\"state\",to=\"unavailable\"} 1")
                    .contains("mcpgw_backend_transitions_total{backend=\"files\",from=\"closed\",kind=\"circuit\",to=\"open\"} 1");
        }
    }

    @Test
    void operatorsAndPinsAndRefusedCredentialsEachLeaveOneEvent() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, true, "")) {
            GatewayMonitor monitor = gateway.get(GatewayMonitor.class);

            monitor.adminAction("drain", "backend files", "admin token #1");
            monitor.reloaded("admin API", "backends added demo", 2);
            monitor.reloadRefused("SIGHUP", "backends[0].id: must match [a-z0-9-]+");
            monitor.pinChanged("files", "read", "files__read", "sha256:aa", "sha256:bb", true);
            monitor.authenticationFailed("192.0.2.7", "client", "the API key is not valid", 1, 10);
            monitor.sessionClaimed(new Identity("acme", "mallory", Set.of(), Map.of()), "s-1", new Identity("acme", "alice", Set.of(), Map.of()));

            List<JsonNode> events = gateway.events();
            assertThat(events).extracting(event -> event.path("type").asText()).containsExactly(
                    AuditEventType.ADMIN_ACTION.wireName(), AuditEventType.ADMIN_ACTION.wireName(), AuditEventType.ADMIN_ACTION.wireName(),
                    AuditEventType.TOOL_DEFINITION_CHANGED.wireName(), AuditEventType.AUTH_FAILED.wireName(),
                    AuditEventType.POLICY_DECISION.wireName());
            assertThat(events.get(0).path("metadata")).isEqualTo(json(Map.of("action", "drain", "target", "backend files", "by", "admin token #1")));
            assertThat(events.get(1).path("metadata")).isEqualTo(json(Map.of("action", "reload", "by", "admin API", "summary", "backends added demo")));
            assertThat(events.get(2).path("outcome").asText()).isEqualTo("error");
            assertThat(events.get(2).path("metadata").path("reason").asText()).isEqualTo("backends[0].id: must match [a-z0-9-]+");
            assertThat(events.get(3).path("tool").asText()).isEqualTo("files__read");
            assertThat(events.get(3).path("outcome").asText()).isEqualTo("blocked");
            assertThat(events.get(3).path("metadata")).isEqualTo(json(Map.of("pinned", "sha256:aa", "now", "sha256:bb")));
            assertThat(events.get(4).path("errorCode").asText()).isEqualTo(Integer.toString(ErrorCode.UNAUTHENTICATED.code()));
            assertThat(events.get(4).path("metadata")).isEqualTo(json(Map.of("source", "192.0.2.7", "listener", "client",
                    "reason", "the API key is not valid")));
            JsonNode claimed = events.get(5);
            assertThat(claimed.path("client").asText()).as("who presented the id").isEqualTo("mallory");
            assertThat(claimed.path("session").asText()).isEqualTo("s-1");
            assertThat(claimed.path("outcome").asText()).isEqualTo("deny");
            assertThat(claimed.path("metadata").path("reason").asText()).isEqualTo("the session belongs to acme/alice");
        }
    }

    private static JsonNode json(Map<String, String> metadata) {
        return JsonRpc.MAPPER.valueToTree(metadata);
    }
}
