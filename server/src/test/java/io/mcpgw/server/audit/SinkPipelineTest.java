package io.mcpgw.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditEventType;
import io.mcpgw.spi.audit.AuditSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's promise for one sink: every event, once, in order, whatever the sink does and across a restart. */
class SinkPipelineTest {

    @TempDir
    Path data;

    /** A sink that stores what it is given, and refuses batches while told to. */
    private static final class TestingAuditSink implements AuditSink {
        final List<String> stored = new CopyOnWriteArrayList<>();
        volatile boolean failing;
        volatile int refusedBatches;

        @Override
        public void write(List<AuditEvent> batch) throws IOException {
            if (failing) {
                refusedBatches++;
                throw new IOException("store is down");
            }
            batch.forEach(event -> stored.add(event.metadata().get("n")));
        }
    }

    private static AuditEvent numbered(int n) {
        return AuditEventBuilder.event(AuditEventType.INVOCATION_COMPLETE).meta("n", Integer.toString(n)).build();
    }

    private static List<String> numbers(int from, int to) {
        return IntStream.range(from, to).mapToObj(Integer::toString).toList();
    }

    private SinkPipeline pipeline(TestingAuditSink sink) {
        return new SinkPipeline("test", sink, new Spool(data.resolve("spool/test.ndjson")), 16, 8, Duration.ofMillis(50));
    }

    @Test
    void aSinkThatFailsForAWhileGetsEveryEventOnceInOrder() throws Exception {
        TestingAuditSink sink = new TestingAuditSink();
        SinkPipeline pipeline = pipeline(sink);
        pipeline.start();
        for (int n = 0; n < 100; n++) {
            pipeline.record(numbered(n));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.stored.size() == 100);
        sink.failing = true;
        for (int n = 100; n < 1000; n++) {
            pipeline.record(numbered(n));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.refusedBatches >= 3);
        assertThat(Files.size(data.resolve("spool/test.ndjson"))).as("what the queue cannot hold waits on disk").isPositive();
        sink.failing = false;
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.stored.size() >= 1000);
        pipeline.stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));

        assertThat(sink.stored).containsExactlyElementsOf(numbers(0, 1000));
        assertThat(data.resolve("spool/test.ndjson")).as("an emptied spool is removed").doesNotExist();
    }

    @Test
    void whatADownSinkMissedAtShutdownIsDeliveredAfterARestart() throws Exception {
        TestingAuditSink down = new TestingAuditSink();
        down.failing = true;
        SinkPipeline before = pipeline(down);
        before.start();
        for (int n = 0; n < 50; n++) {
            before.record(numbered(n));
        }
        before.stop(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(down.stored).isEmpty();

        TestingAuditSink up = new TestingAuditSink();
        SinkPipeline after = pipeline(up);
        after.start();
        after.record(numbered(50));
        await().atMost(Duration.ofSeconds(10)).until(() -> up.stored.size() == 51);
        after.stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        assertThat(up.stored).as("the spool first, then what came after the restart").containsExactlyElementsOf(numbers(0, 51));
    }

    @Test
    void eventsRecordedAfterTheWriterStoppedWaitForTheNextStart() throws Exception {
        TestingAuditSink sink = new TestingAuditSink();
        SinkPipeline first = pipeline(sink);
        first.start();
        first.record(numbered(0));
        first.stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        first.record(numbered(1));
        assertThat(sink.stored).containsExactly("0");

        SinkPipeline second = pipeline(sink);
        second.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.stored.size() == 2);
        second.stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        assertThat(sink.stored).containsExactly("0", "1");
    }
}
