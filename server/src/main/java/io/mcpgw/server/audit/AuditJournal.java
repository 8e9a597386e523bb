package io.mcpgw.server.audit;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.ExtensionSection;
import io.mcpgw.server.config.JournalConfig;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.lifecycle.ManagedService;
import io.mcpgw.server.plugin.ConfiguredExtensions;
import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Where every audited fact goes. With {@code audit:} sinks, each event is appended to the journal on disk (under the
 * data directory, {@code audit-journal/}) before the answer it belongs to is released ({@link #afterWritten}), and
 * each sink reads the journal through its own {@link SinkPipeline}: in order, batched, retried, from an offset that
 * survives a crash. Segments are deleted once every sink is past them, or, past the disk budget, even if one is not
 * (audited). With an admin API, events also go to the recent events it shows. With neither, recording costs nothing.
 */
@Singleton
public final class AuditJournal implements ManagedService {

    /** How many events {@code GET /admin/audit} can show. */
    public static final int RECENT_EVENTS = 1000;

    private static final Logger LOG = LogManager.getLogger(AuditJournal.class);

    private final List<SinkPipeline> pipelines = new ArrayList<>();
    private final Optional<RecentEvents> recent;
    private final boolean includeArguments;
    private final Duration shutdownTimeout;
    private final long maxBytes;
    private final JournalSegments segments;
    private final JournalWriter writer;

    @Inject
    AuditJournal(McpgwConfig config, ConfiguredExtensions extensions, InstallPaths paths) {
        this(named(config.audit(), extensions.auditSinks()), config.journal(),
                paths.resolve(config.server().dataDirectory()).resolve("audit-journal"), config.server().shutdownTimeout(),
                config.admin().isPresent());
    }

    /** The sinks by name, the journal's settings and directory, how long a stop waits for the sinks, whether to keep recent events. */
    AuditJournal(Map<String, AuditSink> sinks, JournalConfig journal, Path directory, Duration shutdownTimeout, boolean keepRecent) {
        this.includeArguments = journal.includeArguments();
        this.shutdownTimeout = shutdownTimeout;
        this.maxBytes = journal.maxBytes();
        this.recent = keepRecent ? Optional.of(new RecentEvents(RECENT_EVENTS)) : Optional.empty();
        if (sinks.isEmpty()) {
            segments = null;
            writer = null;
            return;
        }
        segments = new JournalSegments(directory, journal.segmentBytes());
        writer = new JournalWriter(segments, journal.fsyncInterval(), this::written, this::keepWithinBudget);
        sinks.forEach((name, sink) -> pipelines.add(new SinkPipeline(name, sink, segments,
                new SinkOffset(directory.resolve(name.replaceAll("[^A-Za-z0-9-]", "-") + ".offset")), journal.queueCapacity(),
                journal.batchSize(), journal.maxBackoff(), this::deleteTaken)));
    }

    /** Each sink under {@code <path>-<type>} of its section, e.g. {@code audit[0]-file}. */
    private static Map<String, AuditSink> named(List<ExtensionSection> sections, List<AuditSink> sinks) {
        Map<String, AuditSink> named = new LinkedHashMap<>();
        for (int i = 0; i < sinks.size(); i++) {
            named.put(sections.get(i).path() + "-" + sections.get(i).type(), sinks.get(i));
        }
        return named;
    }

    /** Whether anyone listens; callers skip building events when nobody does. */
    public boolean enabled() {
        return writer != null || recent.isPresent();
    }

    /** Whether invocation events may carry the call's arguments. */
    public boolean includeArguments() {
        return includeArguments;
    }

    /** Records an event; never blocks: the journal's writer thread appends it. */
    public void record(AuditEvent event) {
        if (writer != null) {
            writer.append(event);
        }
        recent.ifPresent(events -> events.add(event));
    }

    /**
     * The answer, released only once every event recorded before it was ready (so all of its call's) is written to
     * the journal: the write call returned, so a crash of the process loses none of them. At once without sinks. A
     * continuation of the released answer runs on the I/O thread the answer was ready on (which, at the end of its
     * loop turn, wrote the events of every answer ready in that turn), or else on the thread that wrote them.
     */
    public <T> CompletableFuture<T> afterWritten(CompletableFuture<T> answer) {
        if (writer == null) {
            return answer;
        }
        CompletableFuture<T> released = new CompletableFuture<>();
        answer.whenComplete((value, error) -> writer.whenWritten(() -> {
            if (error == null) {
                released.complete(value);
            } else {
                released.completeExceptionally(error);
            }
        }));
        return released;
    }

    /** What one sink has yet to take: events queued in memory, and bytes of the journal it has not taken. */
    public record Backlog(String sink, int queued, long spooledBytes) {}

    public List<Backlog> backlog() {
        return pipelines.stream().map(pipeline -> new Backlog(pipeline.name(), pipeline.queued(),
                Math.max(0, segments.end() - pipeline.position()))).toList();
    }

    /** Up to {@code limit} of the newest events, oldest first; none without an admin API. */
    public List<AuditEvent> recent(int limit) {
        return recent.map(events -> events.newest(limit)).orElse(List.of());
    }

    private void written(List<JournalRecord> records) {
        for (SinkPipeline pipeline : pipelines) {
            pipeline.offer(records);
        }
    }

    /** Deletes the segments every sink is past. */
    private void deleteTaken() {
        segments.deleteBefore(pipelines.stream().mapToLong(SinkPipeline::position).min().orElseThrow());
    }

    /**
     * Past the disk budget the oldest segment goes, taken or not: each sink that had not taken all of it skips to the
     * next one, and is first given an {@code audit_overflow} event that says how many it lost.
     */
    private void keepWithinBudget() {
        OptionalLong cut;
        while (segments.size() > maxBytes && (cut = segments.oldestEnd()).isPresent()) {
            for (SinkPipeline pipeline : pipelines) {
                if (pipeline.position() < cut.getAsLong()) {
                    long lost = segments.count(pipeline.position(), cut.getAsLong());
                    pipeline.skipTo(cut.getAsLong(), lost);
                    LOG.error("The audit journal passed its budget of {} bytes: sink {} loses {} events it had not taken", maxBytes,
                            pipeline.name(), lost);
                }
            }
            segments.deleteOldest();
        }
    }

    @Override
    public String name() {
        return "audit journal";
    }

    @Override
    public void start() {
        if (writer != null) {
            writer.start();
            pipelines.forEach(SinkPipeline::start);
        }
    }

    /**
     * Gives each sink until {@code server.shutdownTimeout} to take what the journal holds; what one has not taken
     * stays there for the next start. Says which sink fails and how long the stop waits for it, and what waits.
     */
    @Override
    public void stop() throws InterruptedException {
        if (writer == null) {
            return;
        }
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        if (!writer.stop(deadline)) {
            LOG.error("The audit journal in {} could not be written before the stop: the events still queued are lost",
                    segments.directory());
        }
        for (SinkPipeline pipeline : pipelines) {
            Optional<String> failure = pipeline.failure();
            if (failure.isPresent() && pipeline.position() < segments.end()) {
                LOG.warn("Stopping: audit sink {} is failing ({}); waiting up to {} for it to take its {} events, which otherwise stay"
                        + " in the journal for the next start", pipeline.name(), failure.get(),
                        String.format("%.1f s", Math.max(0, deadline - System.nanoTime()) / 1e9), pipeline.waiting());
            }
        }
        for (SinkPipeline pipeline : pipelines) {
            pipeline.stop(deadline);
        }
        for (SinkPipeline pipeline : pipelines) {
            long waiting = pipeline.waiting();
            if (waiting > 0) {
                LOG.warn("Audit sink {}: {} events wait in the journal {} for the next start", pipeline.name(), waiting,
                        segments.directory());
            }
        }
    }
}
