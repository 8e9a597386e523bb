package io.mcpgw.plugins.policy.opa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** An OPA server's Data API: {@code POST /v1/data/<path>} with {@code {"input": ...}}. */
final class OpaServer implements Decider {

    private final HttpClient http;
    private final URI rule;
    private final Map<String, String> headers;
    private final Duration timeout;

    OpaServer(URI rule, Map<String, String> headers, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.rule = rule;
        this.headers = headers;
        this.timeout = timeout;
    }

    @Override
    public Answer decide(String input) {
        HttpRequest.Builder request = HttpRequest.newBuilder(rule).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\":" + input + "}"));
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("OPA at " + rule + " cannot be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking OPA", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("OPA answered HTTP " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        try {
            JsonNode body = OpaPolicyFactory.JSON.readTree(response.body());
            return new Answer(body.has("result") ? body.get("result") : MissingNode.getInstance(),
                    Optional.ofNullable(body.path("decision_id").textValue()));
        } catch (IOException e) {
            throw new UncheckedIOException("OPA answered something that is not JSON: " + abbreviate(response.body()), e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
