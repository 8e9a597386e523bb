package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a backend offered when it was last discovered: its {@code initialize} result and its lists, each item
 * keyed by its native name (or URI, or URI template). Immutable; replaced whole on re-discovery.
 */
public record BackendSnapshot(JsonNode initializeResult, Map<ListKind, Map<String, ObjectNode>> lists) {

    public static final BackendSnapshot EMPTY = new BackendSnapshot(MissingNode.getInstance(), Map.of());

    public BackendSnapshot {
        lists = Map.copyOf(lists);
    }

    public JsonNode capabilities() {
        return initializeResult.path("capabilities");
    }

    /** The items of one list in the backend's order. */
    public List<ObjectNode> items(ListKind kind) {
        return List.copyOf(lists.getOrDefault(kind, Map.of()).values());
    }

    public Optional<ObjectNode> item(ListKind kind, String key) {
        return Optional.ofNullable(lists.getOrDefault(kind, Map.of()).get(key));
    }

    BackendSnapshot with(JsonNode newInitializeResult, ListKind kind, List<ObjectNode> items) {
        Map<ListKind, Map<String, ObjectNode>> updated = new EnumMap<>(ListKind.class);
        updated.putAll(lists);
        Map<String, ObjectNode> byKey = new LinkedHashMap<>();
        for (ObjectNode item : items) {
            byKey.putIfAbsent(keyOf(kind, item), item);
        }
        updated.put(kind, byKey);
        return new BackendSnapshot(newInitializeResult, updated);
    }

    /** What identifies an item of a list: its name, URI or URI template. */
    public static String keyOf(ListKind kind, ObjectNode item) {
        return switch (kind) {
            case TOOLS, PROMPTS -> item.path("name").asText();
            case RESOURCES -> item.path("uri").asText();
            case RESOURCE_TEMPLATES -> item.path("uriTemplate").asText();
        };
    }
}
