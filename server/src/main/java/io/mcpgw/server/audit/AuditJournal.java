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
import java.util.List;
import java.util.Optional;

/**
 * Where every audited fact goes: to each configured {@code audit:} sink, through its own {@link SinkPipeline}
 * (in order, batched, retried, spooled to disk, never dropped), and, with an admin API, to the recent events it
 * shows. With neither, recording costs nothing.
 */
@Singleton
public final class AuditJournal implements ManagedService {

    /** How many events {@code GET /admin/audit} can show. */
    public static final int RECENT_EVENTS = 1000;

    private final List<SinkPipeline> pipelines = new ArrayList<>();
    private final Optional<RecentEvents> recent;
    private final boolean includeArguments;
    private final Duration shutdownTimeout;

    @Inject
    AuditJournal(McpgwConfig config, ConfiguredExtensions extensions, InstallPaths paths) {
        JournalConfig journal = config.journal();
        this.includeArguments = journal.includeArguments();
        this.shutdownTimeout = config.server().shutdownTimeout();
        this.recent = config.admin().map(admin -> new RecentEvents(RECENT_EVENTS));
        Path spools = paths.resolve(config.server().dataDirectory()).resolve("audit-spool");
        List<AuditSink> sinks = extensions.auditSinks();
        for (int i = 0; i < sinks.size(); i++) {
            ExtensionSection section = config.audit().get(i);
            String name = section.path() + "-" + section.type();
            pipelines.add(new SinkPipeline(name, sinks.get(i), new Spool(spools.resolve(name.replaceAll("[^A-Za-z0-9-]", "-") + ".ndjson")),
                    journal.queueCapacity(), journal.batchSize(), journal.maxBackoff()));
        }
    }

    /** Whether anyone listens; callers skip building events when nobody does. */
    public boolean enabled() {
        return !pipelines.isEmpty() || recent.isPresent();
    }

    /** Whether invocation events may carry the call's arguments. */
    public boolean includeArguments() {
        return includeArguments;
    }

    /** Records an event; never blocks on a sink. */
    public void record(AuditEvent event) {
        for (SinkPipeline pipeline : pipelines) {
            pipeline.record(event);
        }
        recent.ifPresent(events -> events.add(event));
    }

    /** What one sink has yet to take: events queued in memory, and bytes of events spooled to disk. */
    public record Backlog(String sink, int queued, long spooledBytes) {}

    public List<Backlog> backlog() {
        return pipelines.stream().map(pipeline -> new Backlog(pipeline.name(), pipeline.queued(), pipeline.spooledBytes())).toList();
    }

    /** Up to {@code limit} of the newest events, oldest first; none without an admin API. */
    public List<AuditEvent> recent(int limit) {
        return recent.map(events -> events.newest(limit)).orElse(List.of());
    }

    @Override
    public String name() {
        return "audit journal";
    }

    @Override
    public void start() {
        pipelines.forEach(SinkPipeline::start);
    }

    @Override
    public void stop() throws InterruptedException {
        long deadline = System.nanoTime() + shutdownTimeout.toNanos();
        for (SinkPipeline pipeline : pipelines) {
            pipeline.stop(deadline);
        }
    }
}
