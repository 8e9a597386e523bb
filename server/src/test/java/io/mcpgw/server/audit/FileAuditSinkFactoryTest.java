package io.mcpgw.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpgw.server.config.ExtensionSection;
import io.mcpgw.server.config.JournalConfig;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.plugin.ExtensionKind;
import io.mcpgw.server.plugin.HostExtensionContext;
import io.mcpgw.server.plugin.RegisteredFactory;
import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditEventType;
import io.mcpgw.spi.audit.AuditSink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file sink's trail holds each event once, even when the journal gives it a batch again after a crash. */
class FileAuditSinkFactoryTest {

    @TempDir
    Path data;

    private AuditSink sink(Path file) {
        return sink(file, 4096);
    }

    private AuditSink sink(Path file, long maxBytes) {
        FileAuditSinkFactory factory = new FileAuditSinkFactory();
        ExtensionSection section = new ExtensionSection("test", "audit[0]", factory.name(),
                JsonRpc.MAPPER.createObjectNode().put("path", file.toString()).put("maxBytes", maxBytes));
        return factory.create(new HostExtensionContext(section, new RegisteredFactory(ExtensionKind.AUDIT, factory, "test"),
                Clock.systemUTC(), data, "test"));
    }

    private static List<AuditEvent> events(int from, int to) {
        return IntStream.range(from, to).mapToObj(n -> AuditEventBuilder.event(AuditEventType.INVOCATION_COMPLETE)
                .meta("n", Integer.toString(n)).build()).toList();
    }

    private static List<String> ids(Path file) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Path part : List.of(file.resolveSibling(file.getFileName() + ".1"), file)) {
            if (Files.exists(part)) {
                for (String line : Files.readAllLines(part)) {
                    ids.add(JsonRpc.MAPPER.readTree(line).path("id").asText());
                }
            }
        }
        return ids;
    }

    @Test
    void behindTheJournalTheTrailIsTheJournalsLinesByteForByte() throws Exception {
        Path file = data.resolve("audit.ndjson");
        AuditJournal journal = new AuditJournal(Map.of("audit[0]-file", sink(file, 1024 * 1024)), JournalConfig.DEFAULTS,
                data.resolve("audit-journal"), Duration.ofSeconds(5), false);
        journal.start();
        for (int n = 0; n < 50; n++) {
            journal.record(AuditEventBuilder.event(AuditEventType.INVOCATION_COMPLETE).tool("caf\u00e9__\ud83d\ude00").durationMicros(n)
                    .meta("reason", "line\n\"quoted\" \u0001").build());
        }
        journal.stop();

        byte[] trail = Files.readAllBytes(file);
        assertThat(trail).isEqualTo(Files.readAllBytes(data.resolve("audit-journal").resolve("%020d.ndjson".formatted(0))));
        assertThat(new String(trail, StandardCharsets.UTF_8).lines()).hasSize(50)
                .allSatisfy(line -> assertThat(JsonRpc.MAPPER.readTree(line).path("tool").asText()).isEqualTo("caf\u00e9__\ud83d\ude00"));
    }

    @Test
    void aBatchGivenAgainAfterARestartIsWrittenOnceAndTheRestAfterIt() throws Exception {
        Path file = data.resolve("audit.ndjson");
        List<AuditEvent> first = events(0, 10);
        sink(file).write(first);

        List<AuditEvent> again = new ArrayList<>(first.subList(4, 10));
        again.addAll(events(10, 15));
        sink(file).write(again);

        List<String> expected = new ArrayList<>(first.stream().map(AuditEvent::id).toList());
        again.subList(6, 11).forEach(event -> expected.add(event.id()));
        assertThat(ids(file)).containsExactlyElementsOf(expected);
    }

    @Test
    void whatComesAgainInSeveralBatchesAfterARestartIsWrittenOnce() throws Exception {
        Path file = data.resolve("audit.ndjson");
        List<AuditEvent> all = events(0, 40);
        sink(file, 1024 * 1024).write(all.subList(0, 30));

        AuditSink restarted = sink(file, 1024 * 1024);
        restarted.write(all.subList(5, 15));
        restarted.write(all.subList(15, 25));
        restarted.write(all.subList(25, 35));
        restarted.write(all.subList(35, 40));

        assertThat(ids(file)).containsExactlyElementsOf(all.stream().map(AuditEvent::id).toList());
    }

    @Test
    void aBatchGivenAgainAfterTheTrailWasRotatedIsWrittenOnce() throws Exception {
        Path file = data.resolve("audit.ndjson");
        List<AuditEvent> all = events(0, 32);
        AuditSink before = sink(file);
        before.write(all.subList(0, 30));
        before.write(all.subList(30, 31));
        assertThat(file.resolveSibling("audit.ndjson.1")).as("the trail was rotated before the crash").exists();

        sink(file).write(all.subList(20, 32));

        assertThat(ids(file)).containsExactlyElementsOf(all.stream().map(AuditEvent::id).toList());
    }

    @Test
    void aTornLastLineIsEndedBeforeTheNextEvent() throws Exception {
        Path file = data.resolve("audit.ndjson");
        sink(file).write(events(0, 2));
        Files.writeString(file, "{\"id\":\"torn", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        List<AuditEvent> next = events(2, 3);
        sink(file).write(next);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).isEqualTo("{\"id\":\"torn");
        assertThat(JsonRpc.MAPPER.readTree(lines.get(3)).path("id").asText()).isEqualTo(next.getFirst().id());
    }
}
