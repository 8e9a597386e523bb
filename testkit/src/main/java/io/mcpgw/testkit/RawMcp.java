package io.mcpgw.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client speaking raw Streamable HTTP, with an API key or none, for tests that look at every status and error.
 */
public final class RawMcp {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TestingGateway gateway;
    private final String key;
    private final String endpoint;
    private final AtomicInteger ids = new AtomicInteger();
    private String sessionId;

    /** {@code key} goes in {@code Authorization: Bearer}; null sends none. */
    public RawMcp(TestingGateway gateway, String key, String endpoint) {
        this.gateway = gateway;
        this.key = key;
        this.endpoint = endpoint;
    }

    /** Initializes; the response (a refusal keeps no session). */
    public HttpResponse<String> initialize() {
        HttpResponse<String> response = post("""
                {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},
                 "clientInfo":{"name":"raw","version":"1"}}}""");
        sessionId = response.headers().firstValue("Mcp-Session-Id").orElse(null);
        return response;
    }

    /** The session id the gateway gave, if any. */
    public String sessionId() {
        return sessionId;
    }

    public RawMcp initialized() {
        HttpResponse<String> response = initialize();
        if (response.statusCode() != 200) {
            throw new AssertionError("initialize at " + endpoint + " answered " + response.statusCode() + ": " + response.body());
        }
        return this;
    }

    /** A request's whole JSON-RPC response. */
    public JsonNode request(String method, String params) {
        try {
            return JsonRpc.MAPPER.readTree(post("{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet() + ",\"method\":\"" + method
                    + "\",\"params\":" + params + "}").body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode call(String tool, String arguments) {
        return request("tools/call", "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}");
    }

    /**
     * Traffic for a test: {@code sessions} sessions, one after another, each making {@code calls} calls of
     * {@code tool} with a {@code text} argument and then ending; any call without a result fails the test.
     */
    public static void echoSessions(TestingGateway gateway, String tool, int sessions, int calls) {
        for (int s = 0; s < sessions; s++) {
            RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
            for (int c = 0; c < calls; c++) {
                JsonNode answer = client.call(tool, "{\"text\":\"" + s + "-" + c + "\"}");
                if (!answer.has("result")) {
                    throw new AssertionError(tool + " answered " + answer);
                }
            }
            if (client.delete() != 204) {
                throw new AssertionError("the session could not be ended");
            }
        }
    }

    /** The same session presented with another principal's credentials. */
    public RawMcp as(String otherKey) {
        RawMcp other = new RawMcp(gateway, otherKey, endpoint);
        other.sessionId = sessionId;
        return other;
    }

    /** The HTTP status a request gets. */
    public int requestStatus(String method, String params) {
        return post("{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet() + ",\"method\":\"" + method + "\",\"params\":" + params + "}")
                .statusCode();
    }

    public int delete() {
        try {
            return HTTP.send(builder().DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> post(String body) {
        try {
            return HTTP.send(builder().header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder builder() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(gateway.baseUri().resolve(endpoint));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        if (sessionId != null) {
            builder.header("Mcp-Session-Id", sessionId);
        }
        return builder;
    }
}
