package io.mcpgw.server.mcp;

import java.util.List;
import java.util.stream.Stream;

/** The MCP revisions the gateway speaks, newest first, and how one is agreed with a client. */
public final class ProtocolVersions {

    /**
     * The modern revisions: no {@code initialize}, no session; every request names its revision and its client's
     * capabilities in {@code _meta}.
     */
    public static final List<String> MODERN = List.of("2026-07-28");
    /** What Streamable HTTP speaks with a session opened by {@code initialize} (the legacy era). */
    public static final List<String> STREAMABLE_HTTP = List.of("2025-11-25", "2025-06-18", "2025-03-26");
    /** Every revision the Streamable HTTP endpoints speak, modern and legacy, as {@code server/discover} names them. */
    public static final List<String> STREAMABLE_HTTP_ALL = Stream.concat(MODERN.stream(), STREAMABLE_HTTP.stream()).toList();
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

    /** Whether {@code version} is a revision of the modern era. */
    public static boolean isModern(String version) {
        return MODERN.contains(version);
    }
}
