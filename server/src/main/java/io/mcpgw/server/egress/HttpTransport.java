package io.mcpgw.server.egress;

import io.mcpgw.server.io.IoThreads;
import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;
import java.io.IOException;

/** One HTTP client per backend, its connections kept alive and shared by every MCP session to it. */
final class HttpTransport implements BackendTransport {

    /** How one MCP session over HTTP is opened: Streamable HTTP, or the 2024-11-05 SSE transport. */
    interface Opener {
        BackendConnection open(Http1Client client, HttpSettings settings, ConnectionRequest request, InboundHandler inbound) throws IOException;
    }

    private final HttpSettings settings;
    private final Opener opener;
    private final Http1Client client;

    HttpTransport(IoThreads io, HttpSettings settings, Opener opener) {
        this.settings = settings;
        this.opener = opener;
        this.client = new Http1Client(io, settings.url(), settings.connectTimeout());
    }

    @Override
    public BackendConnection open(ConnectionRequest request, InboundHandler inbound) throws IOException {
        return opener.open(client, settings, request, inbound);
    }

    @Override
    public void close() {
        client.close();
    }
}
