package io.mcpgw.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code notifications} filter of a {@code subscriptions/listen} request (MCP 2026-07-28), as asked or as
 * acknowledged: which lists' changes the client hears of, and which resources' updates. A stream carries nothing
 * else.
 */
public record ListenFilter(boolean toolsListChanged, boolean promptsListChanged, boolean resourcesListChanged,
        List<String> resourceSubscriptions) {

    /** The most resources one stream may subscribe to; a longer list is refused. */
    static final int MAX_RESOURCE_SUBSCRIPTIONS = 256;
    public static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";

    public ListenFilter {
        resourceSubscriptions = List.copyOf(resourceSubscriptions);
    }

    /** The filter a request's {@code params} ask for; a malformed one is {@code -32602}. */
    static ListenFilter asked(JsonNode params) {
        JsonNode filter = params.path("notifications");
        if (!filter.isObject()) {
            throw invalid("params.notifications is required (an object naming the notifications to receive)");
        }
        JsonNode uris = filter.path("resourceSubscriptions");
        Set<String> subscriptions = new LinkedHashSet<>();
        if (!uris.isMissingNode()) {
            if (!uris.isArray() || uris.size() > MAX_RESOURCE_SUBSCRIPTIONS) {
                throw invalid("params.notifications.resourceSubscriptions must be an array of at most " + MAX_RESOURCE_SUBSCRIPTIONS + " URIs");
            }
            for (JsonNode uri : uris) {
                if (!uri.isTextual() || uri.asText().isEmpty()) {
                    throw invalid("params.notifications.resourceSubscriptions must hold URIs (non-empty texts)");
                }
                subscriptions.add(uri.asText());
            }
        }
        return new ListenFilter(flag(filter, "toolsListChanged"), flag(filter, "promptsListChanged"), flag(filter, "resourcesListChanged"),
                new ArrayList<>(subscriptions));
    }

    private static boolean flag(JsonNode filter, String name) {
        JsonNode value = filter.path(name);
        if (!value.isMissingNode() && !value.isBoolean()) {
            throw invalid("params.notifications." + name + " must be a boolean");
        }
        return value.asBoolean(false);
    }

    private static GatewayException invalid(String message) {
        return new GatewayException(ErrorCode.INVALID_PARAMS, message);
    }

    /** The same filter with only these resource subscriptions. */
    ListenFilter withResources(List<String> honoured) {
        return new ListenFilter(toolsListChanged, promptsListChanged, resourcesListChanged, honoured);
    }

    /** Whether the stream carries {@code message}. */
    public boolean admits(ObjectNode message) {
        return switch (message.path("method").asText()) {
            case "notifications/tools/list_changed" -> toolsListChanged;
            case "notifications/prompts/list_changed" -> promptsListChanged;
            case "notifications/resources/list_changed" -> resourcesListChanged;
            case "notifications/resources/updated" -> resourceSubscriptions.contains(message.path("params").path("uri").asText());
            default -> false;
        };
    }

    /** The filter as the acknowledgement states it: what is not honoured is left out. */
    ObjectNode toJson() {
        ObjectNode json = JsonRpc.MAPPER.createObjectNode();
        if (toolsListChanged) {
            json.put("toolsListChanged", true);
        }
        if (promptsListChanged) {
            json.put("promptsListChanged", true);
        }
        if (resourcesListChanged) {
            json.put("resourcesListChanged", true);
        }
        if (!resourceSubscriptions.isEmpty()) {
            resourceSubscriptions.forEach(json.putArray("resourceSubscriptions")::add);
        }
        return json;
    }

    /** {@code message} as the stream of the request {@code id} carries it: its subscription id in {@code _meta}. */
    public static ObjectNode tagged(ObjectNode message, JsonNode id) {
        ObjectNode copy = message.deepCopy();
        String member = copy.has("method") ? "params" : "result";
        copy.withObjectProperty(member).withObjectProperty("_meta").set(SUBSCRIPTION_ID, id);
        return copy;
    }
}
