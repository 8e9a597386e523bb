package io.mcpgw.server.transport.http;

import com.google.inject.Inject;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.io.IoThreads;
import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.BackendTransportFactory;
import java.time.Duration;

/** {@code transport: sse}: a remote backend that speaks only the 2024-11-05 HTTP+SSE transport; {@code url} is its SSE endpoint. */
public final class SseTransportFactory implements BackendTransportFactory {

    private final IoThreads io;
    private final InstallPaths paths;
    private final Duration fileCheckInterval;

    @Inject
    SseTransportFactory(IoThreads io, InstallPaths paths, McpgwConfig config) {
        this.io = io;
        this.paths = paths;
        this.fileCheckInterval = config.reload().interval();
    }

    @Override
    public String name() {
        return "sse";
    }

    @Override
    public BackendTransport create(ExtensionContext context) {
        return new HttpTransport(io, context.config().bind(HttpSettings.class), SseConnection::open, paths, fileCheckInterval);
    }
}
