package io.mcpgw.server.egress;

import com.google.inject.Inject;
import io.mcpgw.server.io.IoThreads;
import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.BackendTransportFactory;

/** {@code transport: http}: a remote backend speaking MCP Streamable HTTP. */
public final class HttpTransportFactory implements BackendTransportFactory {

    private final IoThreads io;

    @Inject
    HttpTransportFactory(IoThreads io) {
        this.io = io;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public BackendTransport create(ExtensionContext context) {
        return new HttpTransport(io, context.config().bind(HttpSettings.class), HttpConnection::new);
    }
}
