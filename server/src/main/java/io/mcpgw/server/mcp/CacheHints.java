package io.mcpgw.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.catalog.View;

/**
 * The {@code ttlMs} and {@code cacheScope} of a cacheable result (MCP 2026-07-28). A view narrowed by grants (a
 * tenant's, an agent's) is {@code private}: another principal may see another list. A list is fresh for
 * {@link #LIST_TTL_MILLIS}; a read result for as long as its backend says, else not at all, and it is
 * {@code private} unless its backend called it {@code public} at an unnarrowed view: the gateway cannot tell
 * whether a backend's content depends on the caller's credentials.
 */
public record CacheHints(long ttlMillis, boolean shared) {

    /**
     * How long a list (and {@code server/discover}) stays fresh: short enough that a client without a
     * {@code subscriptions/listen} stream sees a backend's change within a minute, long enough to spare the
     * gateway a list per request.
     */
    public static final long LIST_TTL_MILLIS = 60_000;

    /** A list of {@code view}'s, or its {@code server/discover}. */
    public static CacheHints ofList(View view) {
        return new CacheHints(LIST_TTL_MILLIS, !view.narrowed());
    }

    /** A backend's {@code resources/read} result at {@code view}, with the hints the backend gave, if any. */
    public static CacheHints ofRead(View view, JsonNode backendResult) {
        JsonNode ttl = backendResult.path("ttlMs");
        long millis = ttl.canConvertToLong() && ttl.asLong() > 0 ? ttl.asLong() : 0;
        return new CacheHints(millis, !view.narrowed() && "public".equals(backendResult.path("cacheScope").asText()));
    }

    public void applyTo(ObjectNode result) {
        result.put("ttlMs", ttlMillis).put("cacheScope", shared ? "public" : "private");
    }
}
