package io.mcpgw.server.egress;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.BackendTransportFactory;

/** {@code transport: http}: a remote backend speaking MCP Streamable HTTP. */
public final class HttpTransportFactory implements BackendTransportFactory {

    @Override
    public String name() {
        return "http";
    }

    @Override
    public BackendTransport create(ExtensionContext context) {
        return new HttpTransport(context.config().bind(HttpSettings.class), HttpConnection::new);
    }
}
