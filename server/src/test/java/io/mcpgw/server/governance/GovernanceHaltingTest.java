package io.mcpgw.server.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.AssembledParts;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.spi.audit.AuditEventType;
import io.mcpgw.spi.identity.Identity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway-wide halting limits as governance applies them: per session, the halt audited once. */
class GovernanceHaltingTest {

    private static final String LIMITED = """
            backends:
              - id: files
                transport: stdio
                command: ["true"]
            limits: { maxCalls: 2 }
            """;
    private static final Identity ALICE = new Identity("default", "alice", Set.of(), Map.of());

    @TempDir
    Path directory;

    @Test
    void theThirdCallOfASessionLimitedToTwoIsHaltedAndAnotherSessionIsNot() throws Exception {
        try (AssembledParts gateway = new AssembledParts(directory, true, LIMITED)) {
            Governance governance = gateway.get(Governance.class);
            ClientSession halted = gateway.session(ALICE);
            ClientSession other = gateway.session(ALICE);

            governance.admitInvocation(gateway.toolCall(halted, "files", "read", 1, null)).run();
            governance.admitInvocation(gateway.toolCall(halted, "files", "read", 2, null)).run();
            assertThatThrownBy(() -> governance.admitInvocation(gateway.toolCall(halted, "files", "read", 3, null)))
                    .isInstanceOfSatisfying(GatewayException.class, refused -> {
                        assertThat(refused.code()).isEqualTo(ErrorCode.HALTED);
                        assertThat(refused.getMessage()).isEqualTo("session halted: maxCalls (2 invocations) reached");
                    });
            assertThatThrownBy(() -> governance.admitInvocation(gateway.toolCall(halted, "files", "read", 4, null)))
                    .isInstanceOfSatisfying(GatewayException.class, refused -> assertThat(refused.code()).isEqualTo(ErrorCode.HALTED));
            governance.admitInvocation(gateway.toolCall(other, "files", "read", 1, null)).run();

            assertThat(governance.halting(halted).haltedBecause()).contains("maxCalls (2 invocations) reached");
            assertThat(governance.halting(halted).invocations()).isEqualTo(4);
            assertThat(governance.halting(other).haltedBecause()).isEmpty();
            List<JsonNode> events = gateway.events();
            assertThat(events.stream().filter(event -> event.path("type").asText().equals(AuditEventType.HALTED.wireName())))
                    .singleElement().satisfies(event -> {
                        assertThat(event.path("session").asText()).isEqualTo(halted.id());
                        assertThat(event.path("metadata").path("reason").asText()).isEqualTo("maxCalls (2 invocations) reached");
                    });
        }
    }
}
