package io.mcpgw.server.ingress;

import io.mcpgw.testkit.TestingGateway;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The official SDK client, set up the way the ITs use it. */
public final class McpClientITSupport {

    /** A raw {@code initialize} request with id 1 and no client capabilities; {@code %s} is the protocol version. */
    public static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"%s","capabilities":{},
             "clientInfo":{"name":"raw","version":"1"}}}""";

    private McpClientITSupport() {}

    /**
     * A client of {@code endpoint} to configure further and build, over the transport the endpoint speaks:
     * {@code .../ws} WebSocket, {@code .../sse} the 2024-11-05 SSE transport, anything else Streamable HTTP.
     * The SDK deprecates its SSE transport, as the spec does; old clients still speak it, so the gateway does too.
     */
    @SuppressWarnings("deprecation")
    public static McpClient.SyncSpec spec(TestingGateway gateway, String endpoint) {
        String base = gateway.baseUri().toString();
        McpClientTransport transport = endpoint.endsWith("/ws") ? new WebSocketClientTransport(URI.create(base.replaceFirst("^http", "ws") + endpoint))
                : endpoint.endsWith("/sse") ? HttpClientSseClientTransport.builder(base).sseEndpoint(endpoint).build()
                : HttpClientStreamableHttpTransport.builder(base).endpoint(endpoint).build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30));
    }

    /** An initialized client of {@code endpoint}; {@code toolsChanged} hears every tools/list_changed. */
    public static McpSyncClient client(TestingGateway gateway, String endpoint, Consumer<List<McpSchema.Tool>> toolsChanged) {
        McpSyncClient client = spec(gateway, endpoint).toolsChangeConsumer(toolsChanged).build();
        client.initialize();
        return client;
    }

    public static McpSchema.CallToolRequest call(String name, Map<String, Object> arguments) {
        return McpSchema.CallToolRequest.builder(name).arguments(arguments).build();
    }

    public static McpSchema.ReadResourceRequest read(String uri) {
        return McpSchema.ReadResourceRequest.builder(uri).build();
    }

    /** The text of a result's first content item. */
    public static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().getFirst()).text();
    }
}
