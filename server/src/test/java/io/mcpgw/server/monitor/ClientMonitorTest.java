package io.mcpgw.server.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.AssembledParts;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.session.Invocation;
import io.mcpgw.server.session.SessionStore;
import io.mcpgw.server.session.Sessionless;
import io.mcpgw.spi.audit.AuditEventType;
import io.mcpgw.spi.identity.Identity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What clients do, as the audit trail and the metrics show it: one monitor call per fact, the events it is made of. */
class ClientMonitorTest {

    private static final String BACKENDS = """
            backends:
              - id: files
                transport: stdio
                command: ["true"]
            """;
    private static final Identity ALICE = new Identity("acme", "alice", Set.of(), Map.of());
    private static final ObjectNode ARGUMENTS = JsonRpc.MAPPER.createObjectNode().put("path", "/etc/hosts");

    @TempDir
    Path directory;

    @Test
    void anInvocationIsAuditedFromItsDecisionToItsEndUnderItsSessionAndCountedByTool() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, true, BACKENDS)) {
            ClientMonitor monitor = gateway.get(ClientMonitor.class);
            ClientSession session = gateway.session(ALICE);
            Invocation invocation = gateway.toolCall(session, "files", "read", 7, ARGUMENTS);

            monitor.sessionStarted(session);
            monitor.decided(invocation, Optional.empty(), Map.of("decisionId", "d-1"));
            monitor.invocationStarted(invocation);
            monitor.invocationEnded(invocation, JsonRpc.result(IntNode.valueOf(7), JsonRpc.MAPPER.createObjectNode()), 2_500_000);

            List<JsonNode> events = gateway.events();
            assertThat(events).extracting(event -> event.path("type").asText())
                    .containsExactly(AuditEventType.SESSION_START.wireName(), AuditEventType.POLICY_DECISION.wireName(),
                            AuditEventType.INVOCATION_START.wireName(), AuditEventType.INVOCATION_COMPLETE.wireName());
            assertThat(events).allSatisfy(event -> {
                assertThat(event.path("tenant").asText()).isEqualTo("acme");
                assertThat(event.path("client").asText()).isEqualTo("alice");
                assertThat(event.path("session").asText()).isEqualTo(session.id());
                assertThat(event.has("agent")).as("the aggregate view is no agent's").isFalse();
            });
            assertThat(events.get(0).path("metadata").path("protocolVersion").asText()).isEqualTo("2025-11-25");
            JsonNode decision = events.get(1);
            assertThat(decision.path("outcome").asText()).isEqualTo("allow");
            assertThat(decision.path("backend").asText()).isEqualTo("files");
            assertThat(decision.path("tool").asText()).isEqualTo("files__read");
            assertThat(decision.path("requestId").asText()).isEqualTo("7");
            assertThat(decision.path("metadata").path("decisionId").asText()).as("what the policy added").isEqualTo("d-1");
            assertThat(events.get(2).path("metadata").path("method").asText()).isEqualTo("tools/call");
            assertThat(events.get(2).path("metadata").has("arguments")).as("journal.includeArguments is off").isFalse();
            JsonNode complete = events.get(3);
            assertThat(complete.path("outcome").asText()).isEqualTo("ok");
            assertThat(complete.path("durationMicros").asLong()).isEqualTo(2500);
            assertThat(gateway.metrics())
                    .contains("mcpgw_sessions_started_total{tenant=\"acme\"} 1")
                    .containsPattern("mcpgw_call_duration_seconds_count\\{[^}]*backend=\"files\"[^}]*tool=\"files__read\"[^}]*} 1");
        }
    }

    @Test
    void aThrottleIsAuditedWithItsQuotaAndCountedAndAFailedCallWithItsCode() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, true, BACKENDS)) {
            ClientMonitor monitor = gateway.get(ClientMonitor.class);
            ClientSession session = gateway.session(ALICE);
            Invocation invocation = gateway.toolCall(session, "files", "read", 8, ARGUMENTS);
            GatewayException throttled = new GatewayException(ErrorCode.THROTTLED, "tenant 'acme' is over its 60 requests per minute",
                    JsonRpc.MAPPER.createObjectNode().put("retryAfterMillis", 1000).put("quota", "requestsPerMinute"));

            monitor.decided(invocation, Optional.of(throttled), Map.of());
            monitor.invocationEnded(invocation, JsonRpc.error(IntNode.valueOf(8), ErrorCode.INTERNAL_ERROR.code(), "internal error"), 1000);

            List<JsonNode> events = gateway.events();
            assertThat(events).hasSize(2);
            assertThat(events.get(0).path("outcome").asText()).isEqualTo("throttle");
            assertThat(events.get(0).path("errorCode").asText()).isEqualTo(Integer.toString(ErrorCode.THROTTLED.code()));
            assertThat(events.get(0).path("metadata").path("rule").asText()).isEqualTo("requestsPerMinute");
            assertThat(events.get(1).path("type").asText()).isEqualTo(AuditEventType.INVOCATION_FAILED.wireName());
            assertThat(events.get(1).path("outcome").asText()).isEqualTo("error");
            assertThat(events.get(1).path("errorCode").asText()).isEqualTo(Integer.toString(ErrorCode.INTERNAL_ERROR.code()));
            assertThat(gateway.metrics()).contains("mcpgw_quota_throttles_total{quota=\"requestsPerMinute\",tenant=\"acme\"} 1");
        }
    }

    @Test
    void aStatelessRequestsSessionIsAuditedWithoutAnId() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, true, BACKENDS)) {
            ClientSession session = gateway.get(SessionStore.class).ephemeral(View.AGGREGATE, Sessionless.legacy("2025-11-25", MissingNode.getInstance()), ALICE);

            gateway.get(ClientMonitor.class).halted(session, "maxCalls (3 invocations) reached");

            JsonNode halted = gateway.events().getFirst();
            assertThat(halted.path("type").asText()).isEqualTo(AuditEventType.HALTED.wireName());
            assertThat(halted.path("tenant").asText()).isEqualTo("acme");
            assertThat(halted.has("session")).isFalse();
            assertThat(halted.path("metadata").path("reason").asText()).isEqualTo("maxCalls (3 invocations) reached");
        }
    }

    @Test
    void withoutAnyoneListeningToTheJournalCallsAreStillCounted() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, false, BACKENDS)) {
            ClientSession session = gateway.session(ALICE);
            Invocation invocation = gateway.toolCall(session, "files", "read", 9, ARGUMENTS);

            gateway.get(ClientMonitor.class).invocationEnded(invocation,
                    JsonRpc.error(IntNode.valueOf(9), ErrorCode.THROTTLED.code(), "busy"), 1000);

            assertThat(gateway.trail()).doesNotExist();
            assertThat(gateway.metrics()).containsPattern(
                    "mcpgw_call_failures_total\\{[^}]*error_code=\"" + ErrorCode.THROTTLED.code() + "\"[^}]*tool=\"files__read\"[^}]*} 1");
        }
    }
}
