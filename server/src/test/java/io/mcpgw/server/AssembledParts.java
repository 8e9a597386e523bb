package io.mcpgw.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.mcpgw.server.audit.AuditJournal;
import io.mcpgw.server.audit.FileAuditSinkFactory;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.config.ConfigLoader;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.plugin.ExtensionRegistry;
import io.mcpgw.server.session.ClientCall;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.session.Invocation;
import io.mcpgw.server.session.SessionStore;
import io.mcpgw.server.telemetry.PrometheusText;
import io.mcpgw.server.telemetry.TelemetryExporters;
import io.mcpgw.server.transport.stdio.StdioTransportFactory;
import io.mcpgw.spi.ExtensionFactory;
import io.mcpgw.spi.identity.Identity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gateway's parts as it wires them, for a unit test of one of them: a real audit journal whose one sink is the
 * built-in {@code file} sink, real metrics read back as Prometheus text, the real session store, governance and
 * catalog, the backends and agents following their registries. Nothing is served: no listener, no backend started.
 */
public final class AssembledParts implements AutoCloseable {

    private final Injector injector;
    private final Path trail;
    private final AuditJournal journal;

    /**
     * With {@code audited}, a file sink writes to {@link #trail}; without it the journal has no listener.
     * {@code sections} is more configuration (YAML), e.g. {@code backends:} or {@code tenants:}.
     */
    public AssembledParts(Path directory, boolean audited, String sections) {
        this(directory, audited, sections, List.of());
    }

    /** With {@code extensions} besides the built-in {@code file} sink and {@code stdio} transport, e.g. a testing transport. */
    public AssembledParts(Path directory, boolean audited, String sections, List<ExtensionFactory<?>> extensions) {
        this.trail = directory.resolve("audit.ndjson");
        String yaml = "server:\n  dataDirectory: " + directory.resolve("data") + "\n"
                + (audited ? "audit:\n  - type: file\n    path: " + trail + "\n" : "")
                + sections;
        McpgwConfig config = new ConfigLoader(Map.<String, String>of()::get).parse(yaml, "test.yaml");
        injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(McpgwConfig.class).toInstance(config);
                bind(InstallPaths.class).toInstance(new InstallPaths(directory));
                bind(Clock.class).toInstance(Clock.systemUTC());
                bind(TelemetryExporters.class).toInstance(TelemetryExporters.NONE);
                install(new LocalStateModule());
                bind(BackendListeners.class).asEagerSingleton();
            }

            @Provides
            @Singleton
            ExtensionRegistry extensions(StdioTransportFactory stdio) {
                List<ExtensionFactory<?>> builtIns = new ArrayList<>(List.of(new FileAuditSinkFactory(), stdio));
                builtIns.addAll(extensions);
                return new ExtensionRegistry(builtIns, List.of());
            }
        });
        journal = injector.getInstance(AuditJournal.class);
        journal.start();
    }

    public <T> T get(Class<T> type) {
        return injector.getInstance(type);
    }

    /** A client session on the aggregate view (revision 2025-11-25) as {@code principal}; what it is sent goes nowhere. */
    public ClientSession session(Identity principal) {
        return get(SessionStore.class).create(View.AGGREGATE, "2025-11-25", MissingNode.getInstance(), principal, message -> { });
    }

    /** {@code tools/call} of {@code <backend>__<tool>} with request id {@code id} and these arguments (or none), off the I/O thread. */
    public Invocation toolCall(ClientSession session, String backend, String tool, int id, ObjectNode arguments) {
        ClientCall call = session.startCall(IntNode.valueOf(id), message -> { });
        ObjectNode params = JsonRpc.MAPPER.createObjectNode().put("name", tool);
        if (arguments != null) {
            params.set("arguments", arguments);
        }
        return new Invocation(call, get(BackendManager.class).get(backend).orElseThrow(), "tools/call", tool, backend + "__" + tool,
                arguments, params, false);
    }

    /** Where the file sink writes. */
    public Path trail() {
        return trail;
    }

    /** Stops the journal, so its sink has taken every event, and reads the trail: one event a line. */
    public List<JsonNode> events() throws InterruptedException {
        journal.stop();
        try {
            return Files.readAllLines(trail).stream().map(line -> {
                try {
                    return JsonRpc.MAPPER.readTree(line);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The metrics as {@code GET /metrics} shows them. */
    public String metrics() {
        return get(PrometheusText.class).scrape();
    }

    @Override
    public void close() throws InterruptedException {
        journal.stop();
    }
}
