package io.mcpgw.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.config.ConfigLoader;
import io.mcpgw.server.config.Durations;
import io.mcpgw.server.config.StartupException;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/** One admin request as a resource sees it: its path's parameters, its query and body, which token made it, and its answer. */
record AdminRequest(HttpServerExchange exchange, String actor) {

    private static final int MAX_BODY_BYTES = 1024 * 1024;

    /** A parameter of the path's template, such as {@code id} in {@code /admin/backends/{id}}. */
    String param(String name) {
        return exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get(name);
    }

    /** The path as the client sent it. */
    String path() {
        return exchange.getRequestPath();
    }

    void json(int status, JsonNode body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(JsonRpc.write(body), StandardCharsets.UTF_8);
    }

    /** Answers 201 with where the new resource is. */
    void created(String location, JsonNode body) {
        exchange.getResponseHeaders().put(Headers.LOCATION, location);
        json(201, body);
    }

    void noContent() {
        exchange.setStatusCode(204);
    }

    /** The body as a section of the given type, checked as strictly as the file; {@code id}, when given, must agree. */
    <T> T section(Class<T> type, String id) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new HttpProblem(415, ErrorCode.INVALID_REQUEST, "Content-Type must be application/json");
        }
        byte[] body;
        try (InputStream in = exchange.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new HttpProblem(413, ErrorCode.INVALID_REQUEST, "the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        String json = new String(body, StandardCharsets.UTF_8);
        if (id != null) {
            JsonNode tree;
            try {
                tree = JsonRpc.MAPPER.readTree(json);
            } catch (IOException e) {
                throw HttpProblem.badRequest("the body is not JSON: " + e.getMessage());
            }
            if (tree instanceof ObjectNode object) {
                if (object.has("id") && !id.equals(object.path("id").asText())) {
                    throw HttpProblem.badRequest("the body's id '" + object.path("id").asText() + "' is not the path's '" + id + "'");
                }
                object.put("id", id);
                json = JsonRpc.write(object);
            }
        }
        try {
            return ConfigLoader.parseSection(json, type, "request body");
        } catch (StartupException e) {
            throw HttpProblem.badRequest(e.getMessage());
        }
    }

    /** How long a leaving backend may finish its calls: {@code ?timeout=}, else {@code fallback}. */
    Duration drainTimeout(Duration fallback) {
        Deque<String> values = exchange.getQueryParameters().get("timeout");
        if (values == null || values.isEmpty()) {
            return fallback;
        }
        return Durations.parse(values.getFirst()).orElseThrow(() -> HttpProblem.badRequest("timeout: not " + Durations.EXPECTED));
    }

    /** A query parameter of at least 1, at most {@code max}; {@code fallback} when absent. */
    int intParameter(String name, int fallback, int max) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        if (values == null || values.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(values.getFirst());
            if (value >= 1) {
                return Math.min(value, max);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw HttpProblem.badRequest(name + ": a whole number of at least 1 is expected");
    }

    static ArrayNode array(List<? extends JsonNode> items) {
        ArrayNode array = JsonRpc.MAPPER.createArrayNode();
        array.addAll(items);
        return array;
    }
}
