package io.mcpgw.server.egress;

import com.google.inject.Inject;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.BackendTransportFactory;

/** {@code transport: stdio}: a backend that runs as a child process speaking JSON-RPC on stdin/stdout. */
public final class StdioTransportFactory implements BackendTransportFactory {

    private final InstallPaths paths;

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
        return new StdioTransport(context.config().bind(StdioSettings.class), paths);
    }
}
