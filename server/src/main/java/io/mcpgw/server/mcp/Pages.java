package io.mcpgw.server.mcp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A list as MCP clients walk it: {@code pageSize} items a page, and an opaque cursor to the next page. A cursor
 * the gateway did not give out, or one past the end of the list, is {@code -32602}.
 */
final class Pages {

    private final int pageSize;

    Pages(int pageSize) {
        this.pageSize = pageSize;
    }

    /** Adds the page {@code cursor} points to (the first when null) to {@code page}; the next page's cursor, if one follows. */
    Optional<String> fill(List<ObjectNode> items, String cursor, ArrayNode page) {
        int offset = decode(cursor, items.size());
        int end = Math.min(items.size(), offset + pageSize);
        for (int i = offset; i < end; i++) {
            page.add(items.get(i));
        }
        return end < items.size() ? Optional.of(encode(end)) : Optional.empty();
    }

    private static String encode(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decode(String cursor, int size) {
        if (cursor == null) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int offset = decoded.startsWith("o") ? Integer.parseInt(decoded.substring(1)) : -1;
            if (offset >= 0 && offset <= size) {
                return offset;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new GatewayException(ErrorCode.INVALID_PARAMS, "Invalid cursor");
    }
}
