package io.mcpgw.server.egress;

import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;
import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** One HTTP client per backend, its connections kept alive and shared by every MCP session to it. */
final class HttpTransport implements BackendTransport {

    private final HttpSettings settings;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;

    HttpTransport(HttpSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .executor(executor)
                .build();
    }

    @Override
    public BackendConnection open(ConnectionRequest request, InboundHandler inbound) {
        return new HttpConnection(client, settings, request, inbound);
    }

    @Override
    public void close() {
        client.close();
        executor.close();
    }
}
