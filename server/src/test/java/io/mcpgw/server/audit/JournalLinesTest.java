package io.mcpgw.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditEventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The journal's lines are the SPI's JSON of each event, byte for byte, so a sink given the line stores what it always did. */
class JournalLinesTest {

    private static AuditEvent event(Instant time, String text, Map<String, String> metadata) {
        return new AuditEvent("6f1c0a52-0000-4000-8000-000000000001", time, AuditEventType.INVOCATION_FAILED, Optional.of("acme"),
                Optional.of(text), Optional.of("s1"), Optional.empty(), Optional.of("github"), Optional.of("github__create_issue"),
                Optional.of("7"), Optional.empty(), Optional.of("error"), Optional.of("-32011"), Optional.of(-1234L), metadata);
    }

    private static String lines(List<AuditEvent> events) {
        JournalLines lines = new JournalLines();
        events.forEach(lines::append);
        return new String(lines.copy(), StandardCharsets.UTF_8);
    }

    @Test
    void eachLineIsTheEventsToJsonThenANewline() throws Exception {
        List<AuditEvent> events = List.of(
                event(Instant.parse("2026-11-22T10:15:30Z"), "ci \"bot\" \\ back", Map.of()),
                event(Instant.parse("2026-11-22T10:15:30.120Z"), "tab\there\nnew\rreturn\u0001\u001f\u007f", Map.of("method", "tools/call")),
                event(Instant.parse("0001-01-01T00:00:00.000120Z"), "caf\u00e9 \u20ac \ud83d\ude00 lone \ud83d end \ude00",
                        Map.of("reason", "\u00ff\u0800\uffff", "k\"ey", "v")),
                event(Instant.parse("1969-12-31T23:59:59.123456789Z"), "", Map.of("a", "", "b", "x".repeat(20_000))),
                event(Instant.parse("+10000-01-01T00:00:00Z"), "far", Map.of()),
                new AuditEvent("id", Instant.EPOCH, AuditEventType.SESSION_START, Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Map.of()),
                AuditEventBuilder.event(AuditEventType.INVOCATION_COMPLETE).outcome("ok").durationMicros(87).meta("method", "tools/call")
                        .build());
        StringBuilder expected = new StringBuilder();
        for (AuditEvent event : events) {
            expected.append(event.toJson()).append('\n');
        }
        String written = lines(events);
        assertThat(written).isEqualTo(new String(expected.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        List<String> read = written.lines().toList();
        for (int i = 0; i < events.size(); i++) {
            if (!events.get(i).client().orElse("").contains("lone")) {
                assertThat(AuditEventJson.read(JsonRpc.MAPPER.readTree(read.get(i)))).isEqualTo(events.get(i));
            }
        }
    }

    @Test
    void builtEventsHaveDistinctUuids() {
        List<String> ids = java.util.stream.IntStream.range(0, 10_000)
                .mapToObj(n -> AuditEventBuilder.event(AuditEventType.SESSION_START).build().id()).toList();
        assertThat(ids).doesNotHaveDuplicates().allSatisfy(id -> assertThat(java.util.UUID.fromString(id).version()).isEqualTo(4));
    }
}
