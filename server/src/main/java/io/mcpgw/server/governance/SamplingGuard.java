package io.mcpgw.server.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.config.Globs;
import io.mcpgw.server.config.SamplingConfig;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One set of sampling rules (a tenant's or an agent's) and its rate. Fits a backend's {@code sampling/createMessage}
 * params to the rules: fewer tokens, no context, only allowed model hints; refuses it past the rate.
 */
final class SamplingGuard {

    static final SamplingGuard NONE = new SamplingGuard("nobody", SamplingConfig.UNLIMITED);

    private final String owner;
    private final SamplingConfig config;
    private final Optional<TokenBucket> rate;
    private final List<Pattern> hints;

    SamplingGuard(String owner, SamplingConfig config) {
        this.owner = owner;
        this.config = config;
        this.rate = Optional.ofNullable(config.requestsPerMinute()).map(perMinute -> new TokenBucket(perMinute, perMinute));
        this.hints = config.modelHints() == null ? null : Globs.compile(config.modelHints());
    }

    /** The params the client will see, and what was changed (empty when nothing was); refused past the rate. */
    ObjectNode fit(ObjectNode params, List<String> changes) {
        rate.ifPresent(bucket -> {
            if (bucket.tryTake() > 0) {
                throw new GatewayException(ErrorCode.THROTTLED, owner + " is over its " + config.requestsPerMinute()
                        + " sampling requests per minute");
            }
        });
        ObjectNode fitted = params;
        JsonNode maxTokens = params.get("maxTokens");
        if (config.maxTokens() != null && maxTokens != null && maxTokens.asInt() > config.maxTokens()) {
            fitted = copy(fitted, params).put("maxTokens", config.maxTokens());
            changes.add("maxTokens " + maxTokens.asInt() + " -> " + config.maxTokens());
        }
        String context = params.path("includeContext").asText("none");
        if (!config.allowIncludeContext() && !context.equals("none")) {
            fitted = copy(fitted, params).put("includeContext", "none");
            changes.add("includeContext " + context + " -> none");
        }
        JsonNode offered = params.path("modelPreferences").path("hints");
        if (hints != null && offered.isArray()) {
            ArrayNode kept = JsonRpc.MAPPER.createArrayNode();
            List<String> removed = new ArrayList<>();
            offered.forEach(hint -> {
                String name = hint.path("name").asText();
                if (Globs.matchesAny(hints, name)) {
                    kept.add(hint);
                } else {
                    removed.add(name);
                }
            });
            if (!removed.isEmpty()) {
                ObjectNode preferences = ((ObjectNode) params.get("modelPreferences")).deepCopy();
                if (kept.isEmpty()) {
                    preferences.remove("hints");
                } else {
                    preferences.set("hints", kept);
                }
                fitted = copy(fitted, params);
                fitted.set("modelPreferences", preferences);
                changes.add("model hints removed: " + String.join(", ", removed));
            }
        }
        return fitted;
    }

    /** A copy to change, made once: {@code current} is already one when it is not {@code original}. */
    private static ObjectNode copy(ObjectNode current, ObjectNode original) {
        return current == original ? JsonRpc.MAPPER.createObjectNode().setAll(original) : current;
    }
}
