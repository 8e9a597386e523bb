package io.mcpgw.server.transport.stdio;

import com.google.inject.Inject;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.BackendTransportFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code transport: stdio}: a backend that runs as a child process speaking JSON-RPC on stdin/stdout. The first
 * backend created ends the children a gateway killed before could not end (see {@link ChildRecords}); not when
 * validating.
 */
public final class StdioTransportFactory implements BackendTransportFactory {

    private final InstallPaths paths;
    private final Map<Path, ChildRecords> records = new ConcurrentHashMap<>();

    @Inject
    public StdioTransportFactory(InstallPaths paths) {
        this.paths = paths;
    }

    @Override
    public String name() {
        return "stdio";
    }

    @Override
    public BackendTransport create(ExtensionContext context) {
        StdioSettings settings = context.config().bind(StdioSettings.class);
        Path directory = context.dataDirectory().resolve("children");
        ChildRecords children = context.validateOnly() ? new ChildRecords(directory) : records.computeIfAbsent(directory, found -> {
            ChildRecords recorded = new ChildRecords(found);
            recorded.endOrphans();
            return recorded;
        });
        return new StdioTransport(settings, paths, children);
    }
}
