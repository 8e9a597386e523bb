package io.mcpgw.server.jsonrpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON written one way only (object keys sorted, no whitespace), so two equal values hash alike however they were
 * written: what descriptor hashes and credential keys are made of.
 */
public final class CanonicalJson {

    private CanonicalJson() {}

    /** {@code sha256:} and the hex SHA-256 of the value's canonical JSON. */
    public static String sha256(JsonNode value) {
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
