package io.mcpgw.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpgw.server.config.JournalConfig;
import io.mcpgw.server.io.IoThreads;
import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditEventType;
import io.mcpgw.spi.audit.AuditSink;
import io.mcpgw.spi.audit.JournaledEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xnio.XnioIoThread;

/** The journal's promise: every event on disk before its answer goes out, and every sink gets each one, in order. */
class AuditJournalTest {

    @TempDir
    Path data;

    /** A sink that stores what it is given, and refuses batches while told to. */
    private static final class TestingAuditSink implements AuditSink {
        final List<AuditEvent> stored = new CopyOnWriteArrayList<>();
        volatile boolean failing;
        volatile int refusedBatches;

        @Override
        public void write(List<AuditEvent> batch) throws IOException {
            if (failing) {
                refusedBatches++;
                throw new IOException("store is down");
            }
            stored.addAll(batch);
        }

        List<String> numbers() {
            return stored.stream().filter(event -> event.type() == AuditEventType.INVOCATION_COMPLETE)
                    .map(event -> event.metadata().get("n")).toList();
        }
    }

    /** A sink that stores each event's line as the journal hands it over, and the size of each batch. */
    private static final class TestingLineSink implements AuditSink {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<Integer> batches = new CopyOnWriteArrayList<>();

        @Override
        public void write(List<AuditEvent> batch) {
            throw new AssertionError("the journal hands a sink its lines");
        }

        @Override
        public void writeJournaled(List<JournaledEvent> batch) {
            batch.forEach(event -> lines.add(event.json()));
            batches.add(batch.size());
        }
    }

    private static AuditEvent numbered(int n) {
        return AuditEventBuilder.event(AuditEventType.INVOCATION_COMPLETE).meta("n", Integer.toString(n))
                .meta("padding", "x".repeat(200)).build();
    }

    private static List<String> numbers(int from, int to) {
        return IntStream.range(from, to).mapToObj(Integer::toString).toList();
    }

    private AuditJournal journal(AuditSink sink, JournalConfig config, Duration shutdownTimeout) {
        AuditJournal journal = new AuditJournal(Map.of("audit[0]-test", sink), config, data.resolve("audit-journal"), shutdownTimeout, false);
        journal.start();
        return journal;
    }

    private static JournalConfig small(long maxBytes) {
        return new JournalConfig(16, 8, Duration.ofMillis(50), false, Duration.ofMillis(5), 4096L, maxBytes);
    }

    private List<String> journalLines() throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("audit-journal"))) {
            List<String> lines = new ArrayList<>();
            for (Path file : files.filter(file -> file.toString().endsWith(".ndjson")).sorted().toList()) {
                lines.addAll(Files.readAllLines(file));
            }
            return lines;
        }
    }

    private long journalBytes() throws IOException {
        try (Stream<Path> files = Files.list(data.resolve("audit-journal"))) {
            return files.filter(file -> file.toString().endsWith(".ndjson")).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    @Test
    void anAnswerIsReleasedOnlyOnceItsEventsAreInTheJournalFile() throws Exception {
        AuditJournal journal = journal(new TestingAuditSink(), JournalConfig.DEFAULTS, Duration.ofSeconds(5));
        for (int call = 0; call < 200; call++) {
            AuditEvent event = numbered(call);
            CompletableFuture<String> answer = new CompletableFuture<>();
            CompletableFuture<String> released = journal.afterWritten(answer);
            journal.record(event);
            answer.complete("answer " + call);
            assertThat(released.get(5, TimeUnit.SECONDS)).isEqualTo("answer " + call);
            try (Stream<Path> files = Files.list(data.resolve("audit-journal"))) {
                assertThat(files.filter(file -> file.toString().endsWith(".ndjson")).anyMatch(file -> contains(file, event.id())))
                        .as("event of call %d written before its answer went out", call).isTrue();
            }
        }
        journal.stop();
    }

    @Test
    void onAnIoThreadTheAnswersOfOneLoopTurnAreWrittenAndReleasedInThatTurn() throws Exception {
        AuditJournal journal = journal(new TestingAuditSink(), JournalConfig.DEFAULTS, Duration.ofSeconds(5));
        IoThreads io = new IoThreads(1);
        io.start();
        try {
            XnioIoThread thread = io.worker().getIoThread();
            // The writer thread's own round may take a turn's events first (then it releases them a task later), so
            // of a few turns at least one must be written and released within itself; every answer, on its thread.
            List<Boolean> withinTheTurn = new ArrayList<>();
            for (int turn = 0; turn < 5 && !withinTheTurn.contains(true); turn++) {
                List<AuditEvent> events = IntStream.range(0, 20).mapToObj(i -> numbered(withinTheTurn.size() * 100 + i)).toList();
                List<CompletableFuture<Boolean>> released = new CopyOnWriteArrayList<>();
                CompletableFuture<Boolean> allReleasedByTheNextTask = new CompletableFuture<>();
                thread.execute(() -> {
                    for (AuditEvent event : events) {
                        CompletableFuture<String> answer = new CompletableFuture<>();
                        // what the released answer's continuation sees: its own event already in the journal file, on this thread
                        released.add(journal.afterWritten(answer).thenApply(value -> XnioIoThread.currentThread() == thread
                                && journalContains(event.id())));
                        journal.record(event);
                        answer.complete("answer");
                    }
                    thread.execute(() -> allReleasedByTheNextTask.complete(released.stream().allMatch(CompletableFuture::isDone)));
                });
                withinTheTurn.add(allReleasedByTheNextTask.get(5, TimeUnit.SECONDS));
                for (CompletableFuture<Boolean> one : released) {
                    assertThat(one.get(5, TimeUnit.SECONDS)).as("released on its I/O thread once its event was in the file").isTrue();
                }
            }
            assertThat(withinTheTurn).as("released before a task queued after them ran, in some turn").contains(true);
        } finally {
            io.stop();
            journal.stop();
        }
    }

    @Test
    void severalIoThreadsAndOtherThreadsWritingAtOnceLoseNothingAndTheSinkGetsEachEventOnce() throws Exception {
        TestingAuditSink sink = new TestingAuditSink();
        AuditJournal journal = journal(sink, small(100L * 1024 * 1024), Duration.ofSeconds(5));
        IoThreads io = new IoThreads(2);
        io.start();
        int perWriter = 300;
        try {
            List<CompletableFuture<Void>> released = new CopyOnWriteArrayList<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                int first = w * perWriter;
                // two writers call from an I/O thread each, ten calls per task on it; the third from a platform thread
                XnioIoThread thread = w < 2 ? io.worker().getIoThread(w) : null;
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int from = first; from < first + perWriter; from += 10) {
                        int to = from + 10;
                        int start = from;
                        Runnable calls = () -> {
                            for (int n = start; n < to; n++) {
                                CompletableFuture<Void> answer = new CompletableFuture<>();
                                released.add(journal.afterWritten(answer));
                                journal.record(numbered(n));
                                answer.complete(null);
                            }
                        };
                        if (thread == null) {
                            calls.run();
                        } else {
                            thread.execute(calls);
                        }
                    }
                }));
            }
            for (Thread writer : writers) {
                writer.join();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> released.size() == 3 * perWriter);
            CompletableFuture.allOf(released.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.numbers().size() >= 3 * perWriter);
        } finally {
            io.stop();
            journal.stop();
        }
        assertThat(sink.numbers()).as("each event once").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(numbers(0, 3 * perWriter));
        for (int w = 0; w < 3; w++) {
            List<String> ofWriter = numbers(w * perWriter, (w + 1) * perWriter);
            assertThat(sink.numbers().stream().filter(ofWriter::contains).toList()).as("one thread's events in the order it recorded them")
                    .containsExactlyElementsOf(ofWriter);
        }
    }

    private boolean journalContains(String text) {
        try (Stream<Path> files = Files.list(data.resolve("audit-journal"))) {
            return files.filter(file -> file.toString().endsWith(".ndjson")).anyMatch(file -> contains(file, text));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.readString(file).contains(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSinkIsHandedTheJournalsOwnLinesFreshAndReadBackAfterARestart() throws Exception {
        TestingLineSink sink = new TestingLineSink();
        AuditJournal before = journal(sink, JournalConfig.DEFAULTS, Duration.ofSeconds(5));
        List<AuditEvent> events = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            events.add(numbered(n));
            before.record(events.getLast());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.lines.size() == 100);
        before.stop();
        // without its offset the sink starts over from the journal's oldest segment: every line is read back from disk
        Files.delete(data.resolve("audit-journal").resolve("audit-0--test.offset"));
        AuditJournal after = journal(sink, JournalConfig.DEFAULTS, Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.lines.size() == 200);
        after.stop();

        List<String> expected = events.stream().map(AuditEvent::toJson).toList();
        assertThat(sink.lines.subList(0, 100)).as("fresh: each event's toJson").containsExactlyElementsOf(expected);
        assertThat(sink.lines.subList(100, 200)).as("read back after a restart: the same lines").containsExactlyElementsOf(expected);
        assertThat(journalLines().subList(0, 100)).as("what the journal file holds").containsExactlyElementsOf(expected);
    }

    @Test
    void aSinkThatKeepsUpIsHandedWhatGatheredNotOneBatchPerWrite() throws Exception {
        TestingLineSink sink = new TestingLineSink();
        AuditJournal journal = journal(sink, JournalConfig.DEFAULTS, Duration.ofSeconds(5));
        int calls = 300;
        long started = System.nanoTime();
        for (int call = 0; call < calls; call++) {
            CompletableFuture<Void> answer = new CompletableFuture<>();
            CompletableFuture<Void> released = journal.afterWritten(answer);
            journal.record(numbered(call));
            answer.complete(null);
            released.get(5, TimeUnit.SECONDS);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.lines.size() == calls);
        journal.stop();
        // each call was its own write to the journal; the sink was woken every 50 ms, not per write
        assertThat(sink.batches.size()).as("batches for %d writes in %d ms", calls, millis).isLessThan(calls).isLessThanOrEqualTo(
                (int) (millis / 25) + 4);
    }

    @Test
    void aSinkThatFailsForAWhileGetsEveryEventOnceInOrderAndTakenSegmentsAreDeleted() throws Exception {
        TestingAuditSink sink = new TestingAuditSink();
        AuditJournal journal = journal(sink, small(100L * 1024 * 1024), Duration.ofSeconds(5));
        for (int n = 0; n < 100; n++) {
            journal.record(numbered(n));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.stored.size() == 100);
        sink.failing = true;
        for (int n = 100; n < 1000; n++) {
            journal.record(numbered(n));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.refusedBatches >= 3);
        assertThat(journalBytes()).as("what the failing sink has not taken waits on disk").isGreaterThan(900L * 200);
        assertThat(journal.backlog().getFirst().spooledBytes()).isGreaterThan(800L * 200);
        sink.failing = false;
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.stored.size() >= 1000);
        journal.stop();

        assertThat(sink.numbers()).containsExactlyElementsOf(numbers(0, 1000));
        assertThat(journalBytes()).as("segments every sink took are deleted: the newest is left").isLessThan(4096 + 1000);
    }

    @Test
    void whatADownSinkMissedAtAStopIsDeliveredAfterTheNextStart() throws Exception {
        TestingAuditSink down = new TestingAuditSink();
        down.failing = true;
        AuditJournal before = journal(down, small(100L * 1024 * 1024), Duration.ofMillis(300));
        for (int n = 0; n < 50; n++) {
            before.record(numbered(n));
        }
        before.stop();
        before.record(numbered(50));
        assertThat(down.stored).isEmpty();

        TestingAuditSink up = new TestingAuditSink();
        AuditJournal after = journal(up, small(100L * 1024 * 1024), Duration.ofSeconds(5));
        after.record(numbered(51));
        await().atMost(Duration.ofSeconds(10)).until(() -> up.stored.size() == 52);
        after.stop();
        assertThat(up.numbers()).as("the journal first, then what came after the restart").containsExactlyElementsOf(numbers(0, 52));
    }

    @Test
    void pastItsDiskBudgetTheJournalDropsTheOldestSegmentAndAuditsWhatTheSinkLost() throws Exception {
        TestingAuditSink sink = new TestingAuditSink();
        sink.failing = true;
        AuditJournal journal = journal(sink, small(3 * 4096), Duration.ofSeconds(5));
        for (int n = 0; n < 400; n++) {
            CompletableFuture<Void> answer = new CompletableFuture<>();
            CompletableFuture<Void> released = journal.afterWritten(answer);
            journal.record(numbered(n));
            answer.complete(null);
            released.get(5, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> journal.backlog().getFirst().spooledBytes() > 0);
        assertThat(journalBytes()).as("bounded by the budget, give or take one write").isLessThan(3 * 4096 + 4096);
        sink.failing = false;
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.stored.stream().anyMatch(event -> event.metadata().containsKey("n")
                && event.metadata().get("n").equals("399")));
        journal.stop();

        List<AuditEvent> overflows = sink.stored.stream().filter(event -> event.type() == AuditEventType.AUDIT_OVERFLOW).toList();
        long lost = overflows.stream().mapToLong(event -> Long.parseLong(event.metadata().get("lostEvents"))).sum();
        assertThat(overflows).isNotEmpty().allSatisfy(event -> assertThat(event.metadata()).containsEntry("sink", "audit[0]-test"));
        assertThat(sink.numbers().size() + lost).as("every event either delivered or counted as lost").isEqualTo(400);
        List<String> delivered = sink.numbers();
        assertThat(delivered).as("what is left is the newest, in order").containsExactlyElementsOf(numbers(400 - delivered.size(), 400));
    }
}
