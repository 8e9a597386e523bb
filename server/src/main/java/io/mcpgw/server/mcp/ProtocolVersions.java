package io.mcpgw.server.mcp;

import java.util.List;

/** The MCP revisions the gateway speaks, newest first, and how one is agreed with a client. */
public final class ProtocolVersions {

    /** What Streamable HTTP speaks. */
    public static final List<String> STREAMABLE_HTTP = List.of("2025-11-25", "2025-06-18", "2025-03-26");
    /**
     * What the transports without HTTP headers per message (WebSocket, the 2024-11-05 SSE transport) also speak:
     * clients built for the SSE transport ask for 2024-11-05 and accept nothing else.
     */
    public static final List<String> CHANNEL = List.of("2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05");

    private ProtocolVersions() {}

    /** The revision a client asking for {@code requested} gets among {@code supported}: that one, or else the newest. */
    public static String negotiate(String requested, List<String> supported) {
        return supported.contains(requested) ? requested : supported.getFirst();
    }
}
