package io.mcpgw.server.transport.http;

import com.google.inject.Inject;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.io.IoThreads;
import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.BackendTransportFactory;
import java.time.Duration;

/** {@code transport: http}: a remote backend speaking MCP Streamable HTTP. */
public final class HttpTransportFactory implements BackendTransportFactory {

    private final IoThreads io;
    private final InstallPaths paths;
    private final Duration fileCheckInterval;

    @Inject
    HttpTransportFactory(IoThreads io, InstallPaths paths, McpgwConfig config) {
        this.io = io;
        this.paths = paths;
        this.fileCheckInterval = config.reload().interval();
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public BackendTransport create(ExtensionContext context) {
        return new HttpTransport(io, context.config().bind(HttpSettings.class), HttpConnection::new, paths, fileCheckInterval);
    }
}
