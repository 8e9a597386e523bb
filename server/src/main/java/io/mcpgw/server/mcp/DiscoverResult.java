package io.mcpgw.server.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.util.List;

/**
 * The answer to {@code server/discover} (MCP 2026-07-28): the revisions the endpoint speaks, modern and legacy, and
 * what the view offers (capabilities, instructions, and in {@code _meta} the server's identity), cacheable as
 * the view's lists are.
 */
@Singleton
public final class DiscoverResult {

    private final InitializeResult described;

    @Inject
    DiscoverResult(InitializeResult described) {
        this.described = described;
    }

    /** What {@code view} offers a client of the era of {@code protocolVersion}, at an endpoint speaking {@code supported}. */
    public ObjectNode of(View view, String protocolVersion, List<String> supported) {
        ObjectNode result = JsonRpc.MAPPER.createObjectNode().put("resultType", "complete");
        supported.forEach(result.putArray("supportedVersions")::add);
        result.set("capabilities", described.capabilities(view, ProtocolVersions.isModern(protocolVersion)));
        described.instructions(view).ifPresent(instructions -> result.put("instructions", instructions));
        result.putObject("_meta").set(ModernMeta.SERVER_INFO, described.serverInfo(view));
        CacheHints.ofList(view).applyTo(result);
        return result;
    }
}
