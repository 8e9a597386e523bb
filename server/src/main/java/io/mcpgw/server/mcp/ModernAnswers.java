package io.mcpgw.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.util.List;
import java.util.Set;

/**
 * A modern (MCP 2026-07-28) request's answer as its client must see it, whatever era the backend that gave it speaks:
 * {@code resultType}, the server's identity in {@code _meta}, {@code ttlMs} and {@code cacheScope} on lists and
 * reads, resource not found as {@code -32602}, and {@code -32021} for a call that needed a capability its client
 * did not declare.
 */
@Singleton
public final class ModernAnswers {

    /** What a modern client may call at the gateway; anything else is method not found. */
    public static final Set<String> SERVED = Set.of("server/discover", "tools/list", "tools/call", "prompts/list", "prompts/get",
            "resources/list", "resources/read", "resources/templates/list", "completion/complete", "subscriptions/listen",
            // the tasks extension (SEP-2663): it has no tasks/list nor tasks/result
            "tasks/get", "tasks/update", "tasks/cancel");
    private static final Set<String> LISTS = Set.of("tools/list", "prompts/list", "resources/list", "resources/templates/list");
    private static final int LEGACY_RESOURCE_NOT_FOUND = ErrorCode.RESOURCE_NOT_FOUND.code();

    private final InitializeResult described;

    @Inject
    ModernAnswers(InitializeResult described) {
        this.described = described;
    }

    /**
     * {@code response} to {@code request} at {@code view}, shaped for its modern client; {@code missing} names the
     * client capabilities (dotted, e.g. {@code elicitation.url}) the call needed and the client lacked.
     */
    public ObjectNode shape(ObjectNode response, ObjectNode request, View view, List<String> missing) {
        String method = request.path("method").asText();
        if (!missing.isEmpty()) {
            ObjectNode data = JsonRpc.MAPPER.createObjectNode();
            ObjectNode required = data.putObject("requiredCapabilities");
            missing.forEach(capability -> {
                ObjectNode at = required;
                for (String part : capability.split("\\.")) {
                    at = at.withObjectProperty(part);
                }
            });
            return JsonRpc.error(response.get("id"), new GatewayException(ErrorCode.MISSING_CLIENT_CAPABILITY,
                    "Missing required client capability: " + String.join(", ", missing), data));
        }
        if (response.get("error") instanceof ObjectNode error) {
            if (error.path("code").asInt() == LEGACY_RESOURCE_NOT_FOUND) {
                ObjectNode renumbered = response.deepCopy();
                ObjectNode renumberedError = (ObjectNode) renumbered.get("error");
                renumberedError.put("code", ErrorCode.INVALID_PARAMS.code());
                JsonNode uri = request.path("params").path("uri");
                if (uri.isTextual() && !renumberedError.path("data").has("uri")) {
                    // SEP-2164: the error names the URI nothing serves
                    renumberedError.withObjectProperty("data").set("uri", uri);
                }
                return renumbered;
            }
            return response;
        }
        if (!(response.get("result") instanceof ObjectNode original)) {
            return response;
        }
        // shallow copies: only the top-level fields and _meta change, the content (a tool's result, a list's items) is shared
        ObjectNode result = JsonRpc.MAPPER.createObjectNode().setAll(original);
        if (!result.has("resultType")) {
            result.put("resultType", "complete");
        }
        ObjectNode meta = JsonRpc.MAPPER.createObjectNode();
        if (original.get("_meta") instanceof ObjectNode given) {
            meta.setAll(given);
        }
        result.set("_meta", meta.set(ModernMeta.SERVER_INFO, described.serverInfo(view)));
        // an interim result of a call held open is nothing anyone may cache
        boolean interim = result.path("resultType").asText().equals("input_required");
        if (!interim && LISTS.contains(method)) {
            CacheHints.ofList(view).applyTo(result);
        } else if (!interim && method.equals("resources/read")) {
            CacheHints.ofRead(view, original).applyTo(result);
        }
        ObjectNode shaped = JsonRpc.MAPPER.createObjectNode().setAll(response);
        shaped.set("result", result);
        return shaped;
    }
}
