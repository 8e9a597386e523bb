package io.mcpgw.server.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SHA-256 that seals a definition: of its canonical JSON (object keys sorted, no whitespace), so two equal
 * definitions hash alike however they were written, and any change to what a client is told changes the hash.
 */
public final class DescriptorHash {

    /** The fields of a tool a client or model acts on; others (its {@code _meta}) do not count. */
    private static final List<String> TOOL_FIELDS = List.of("name", "title", "description", "inputSchema", "outputSchema", "annotations");

    private DescriptorHash() {}

    /** The hash of a tool as the backend defines it (its native name). */
    public static String ofTool(JsonNode tool) {
        return of(sealedFields(tool));
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

    /** The hash of any JSON value, canonicalized. */
    public static String of(JsonNode value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(JsonRpc.write(canonical(value)).getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static JsonNode canonical(JsonNode value) {
        if (value instanceof ObjectNode object) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            object.properties().forEach(entry -> sorted.put(entry.getKey(), canonical(entry.getValue())));
            ObjectNode result = JsonRpc.MAPPER.createObjectNode();
            sorted.forEach(result::set);
            return result;
        }
        if (value instanceof ArrayNode array) {
            ArrayNode result = JsonRpc.MAPPER.createArrayNode();
            array.forEach(item -> result.add(canonical(item)));
            return result;
        }
        return value;
    }
}
