package io.mcpgw.server.egress;

import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;
import java.net.http.HttpClient;

/**
 * One HTTP client per backend, its connections kept alive and shared by every MCP session to it. The client keeps
 * its own small executor: it hands work between threads several times per request, and a new virtual thread for
 * each hand-off costs more than it saves.
 */
final class HttpTransport implements BackendTransport {

    private final HttpSettings settings;
    private final HttpClient client;

    HttpTransport(HttpSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
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
