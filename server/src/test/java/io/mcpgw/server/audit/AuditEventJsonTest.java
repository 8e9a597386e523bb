package io.mcpgw.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditEventType;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The SPI's own JSON of an event (what plugins write) and the gateway's are one shape, and read back whole. */
class AuditEventJsonTest {

    private static final AuditEvent EVENT = new AuditEvent("6f1c0a52-0000-4000-8000-000000000001", Instant.parse("2026-11-22T10:15:30.123456Z"),
            AuditEventType.INVOCATION_FAILED, Optional.of("acme"), Optional.of("ci \"bot\""), Optional.of("s1"), Optional.of("coder"),
            Optional.of("github"), Optional.of("github__create_issue"), Optional.of("7"), Optional.of("4bf92f3577b34da6a3ce929d0e0e4736"),
            Optional.of("error"), Optional.of("-32011"), Optional.of(1234L),
            Map.of("reason", "line one\nline two\ttab \\ back\u0001", "method", "tools/call"));

    @Test
    void theSpisJsonIsTheGatewaysJson() throws Exception {
        assertThat(EVENT.toJson()).isEqualTo(JsonRpc.write(AuditEventJson.write(EVENT)));
        assertThat(AuditEventJson.read(JsonRpc.MAPPER.readTree(EVENT.toJson()))).isEqualTo(EVENT);
    }

    @Test
    void absentFieldsAreLeftOut() throws Exception {
        AuditEvent bare = new AuditEvent("id", Instant.EPOCH, AuditEventType.SESSION_START, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
        assertThat(bare.toJson()).isEqualTo("{\"id\":\"id\",\"time\":\"1970-01-01T00:00:00Z\",\"type\":\"session_start\"}");
    }
}
