package io.mcpgw.server.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.util.Optional;

/**
 * The definition a tool is pinned to: its {@link DescriptorHash} and the fields that hash seals, so an operator can
 * see what changed. A pin written before definitions were kept ({@code "tool": "sha256:..."} in {@code pins.json})
 * has the hash only, until the backend offers that definition again.
 */
public record PinnedTool(String hash, Optional<ObjectNode> definition) {

    /** The pin of a tool as the backend defines it now. */
    static PinnedTool of(ObjectNode tool) {
        return new PinnedTool(DescriptorHash.ofTool(tool), Optional.of(DescriptorHash.sealedFields(tool)));
    }

    /** As {@code pins.json} keeps it: either form, so an older file still loads. */
    static PinnedTool read(JsonNode stored) {
        if (stored.isTextual()) {
            return new PinnedTool(stored.asText(), Optional.empty());
        }
        if (stored instanceof ObjectNode object && object.path("hash").isTextual()) {
            return new PinnedTool(object.path("hash").asText(),
                    object.get("definition") instanceof ObjectNode definition ? Optional.of(definition) : Optional.empty());
        }
        throw new IllegalArgumentException("a pin is a hash or {\"hash\": ..., \"definition\": {...}}, not " + stored);
    }

    JsonNode toJson() {
        ObjectNode json = JsonRpc.MAPPER.createObjectNode().put("hash", hash);
        definition.ifPresent(known -> json.set("definition", known));
        return json;
    }
}
