package io.mcpgw.server.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.CanonicalJson;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.util.List;

/**
 * The SHA-256 that seals a tool's definition: of its canonical JSON ({@link CanonicalJson}), so two equal
 * definitions hash alike however they were written, and any change to what a client is told changes the hash.
 */
public final class DescriptorHash {

    /** The fields of a tool a client or model acts on; others (its {@code _meta}) do not count. */
    private static final List<String> TOOL_FIELDS = List.of("name", "title", "description", "inputSchema", "outputSchema", "annotations");

    private DescriptorHash() {}

    /** The hash of a tool as the backend defines it (its native name). */
    public static String ofTool(JsonNode tool) {
        return CanonicalJson.sha256(sealedFields(tool));
    }

    /** The part of a tool's definition its hash seals: a copy, without {@code _meta} and other fields that do not count. */
    static ObjectNode sealedFields(JsonNode tool) {
        ObjectNode sealed = JsonRpc.MAPPER.createObjectNode();
        for (String field : TOOL_FIELDS) {
            if (tool.has(field)) {
                sealed.set(field, tool.get(field).deepCopy());
            }
        }
        return sealed;
    }
}
