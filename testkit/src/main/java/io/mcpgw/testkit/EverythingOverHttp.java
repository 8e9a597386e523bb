package io.mcpgw.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code @modelcontextprotocol/server-everything} in one of its HTTP modes ({@code streamableHttp} or {@code sse}),
 * run with {@code node} on a free port, its output in {@code log}, ended when closed.
 */
public final class EverythingOverHttp implements AutoCloseable {

    private final NodeHttpServer server;

    public EverythingOverHttp(Path node, Path server, String mode, Path log) throws IOException, InterruptedException {
        this.server = new NodeHttpServer(node, List.of(server.toString(), mode), log, "server-everything " + mode);
    }

    /** Its base URL, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return server.url();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
