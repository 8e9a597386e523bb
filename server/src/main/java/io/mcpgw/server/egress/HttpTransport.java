package io.mcpgw.server.egress;

import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;

/** One HTTP client per backend, its connections kept alive and shared by every MCP session to it. */
final class HttpTransport implements BackendTransport {

    private final HttpSettings settings;
    private final Http1Client client;

    HttpTransport(HttpSettings settings) {
        this.settings = settings;
        this.client = new Http1Client(settings.url(), settings.connectTimeout());
    }

    @Override
    public BackendConnection open(ConnectionRequest request, InboundHandler inbound) {
        return new HttpConnection(client, settings, request, inbound);
    }

    @Override
    public void close() {
        client.close();
    }
}
