package io.mcpgw.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.undertow.Undertow;
import io.undertow.server.handlers.BlockingHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API's routing on a real Undertow listener, asked over real HTTP: what a client sees for each path and method. */
class AdminRoutesTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Undertow server;
    private static URI base;

    @BeforeAll
    static void start() {
        AdminRoutes routes = new AdminRoutes()
                .get("/admin/things", request -> request.json(200, AdminRequest.array(List.of(JsonRpc.MAPPER.createObjectNode()
                        .put("by", request.actor())))))
                .post("/admin/things", request -> request.created("/admin/things/new", JsonRpc.MAPPER.createObjectNode().put("id", "new")))
                .get("/admin/things/{id}", request -> request.json(200, JsonRpc.MAPPER.createObjectNode().put("id", request.param("id"))
                        .put("query", String.valueOf(request.exchange().getQueryParameters().get("id")))))
                .put("/admin/things/{id}", request -> request.json(200, JsonRpc.MAPPER.createObjectNode().put("put", request.param("id"))))
                .delete("/admin/things/{id}", AdminRequest::noContent)
                .get("/admin/things/{id}/parts", request -> request.json(200, JsonRpc.MAPPER.createObjectNode().put("parts", request.param("id"))))
                .post("/admin/things/{id}/{action}", request -> request.json(200, JsonRpc.MAPPER.createObjectNode()
                        .put("action", request.param("action"))))
                .get("/admin/count", request -> request.json(200, JsonRpc.MAPPER.createObjectNode()
                        .put("limit", request.intParameter("limit", 10, 50))))
                .get("/metrics", request -> request.exchange().getResponseSender().send("metrics"));
        server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(new BlockingHandler(exchange -> {
            exchange.putAttachment(AdminRoutes.ACTOR, "admin token #1");
            try {
                routes.route(exchange);
            } catch (HttpProblem problem) {
                AdminApi.problem(exchange, problem);
            }
        })).build();
        server.start();
        InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().getFirst().getAddress();
        base = URI.create("http://127.0.0.1:" + address.getPort());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void aResourceGetsItsPathParametersTheActorAndTheQueryUntouched() throws Exception {
        HttpResponse<String> one = send("GET", "/admin/things/abc?id=from-query");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(one).path("id").asText()).isEqualTo("abc");
        assertThat(json(one).path("query").asText()).as("path parameters are not added to the query").isEqualTo("[from-query]");
        assertThat(json(send("GET", "/admin/things/a%20b")).path("id").asText()).isEqualTo("a b");
        assertThat(json(send("GET", "/admin/things")).path(0).path("by").asText()).isEqualTo("admin token #1");
        assertThat(json(send("PUT", "/admin/things/abc")).path("put").asText()).isEqualTo("abc");
    }

    @Test
    void oneTrailingSlashUnderAdminIsIgnored() throws Exception {
        assertThat(json(send("GET", "/admin/things/")).path(0).path("by").asText()).isEqualTo("admin token #1");
        assertThat(json(send("GET", "/admin/things/abc/")).path("id").asText()).isEqualTo("abc");
        assertThat(json(send("GET", "/admin/things//")).path("id").asText()).as("the second makes an empty id").isEmpty();
        assertThat(send("GET", "/metrics").body()).isEqualTo("metrics");
        assertThat(send("GET", "/metrics/").statusCode()).as("outside /admin/ a path is exact").isEqualTo(404);
    }

    @Test
    void createdAnswersWithItsLocationAndDeletedWithNoBody() throws Exception {
        HttpResponse<String> created = send("POST", "/admin/things");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/admin/things/new");
        HttpResponse<String> deleted = send("DELETE", "/admin/things/abc");
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
    }

    @Test
    void anUnknownPathIsA404ProblemNamingIt() throws Exception {
        for (String path : List.of("/admin/nothing", "/admin/", "/admin", "/elsewhere", "/admin/things/abc/parts/more", "/admin//things")) {
            HttpResponse<String> refused = send("GET", path);
            assertThat(refused.statusCode()).as(path).isEqualTo(404);
            assertThat(refused.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
            JsonNode problem = json(refused);
            assertThat(problem.path("type").asText()).isEqualTo("about:blank");
            assertThat(problem.path("title").asText()).isEqualTo("Not Found");
            assertThat(problem.path("status").asInt()).isEqualTo(404);
            assertThat(problem.path("detail").asText()).isEqualTo("No admin resource at " + path);
            assertThat(problem.path("instance").asText()).isEqualTo(path);
        }
    }

    @Test
    void aMethodTheResourceDoesNotTakeIsA405WithWhatItTakesInOrder() throws Exception {
        assertMethodNotAllowed("PATCH", "/admin/things", "GET, POST");
        assertMethodNotAllowed("POST", "/admin/things/abc", "GET, PUT, DELETE");
        assertMethodNotAllowed("HEAD", "/metrics", "GET");
        assertMethodNotAllowed("DELETE", "/admin/count", "GET");
    }

    @Test
    void theMostSpecificResourceDecidesTheMethodNotAGenericTemplateBesideIt() throws Exception {
        assertMethodNotAllowed("POST", "/admin/things/abc/parts", "GET");
        assertMethodNotAllowed("GET", "/admin/things/abc/explode", "POST");
        assertThat(json(send("GET", "/admin/things/abc/parts")).path("parts").asText()).isEqualTo("abc");
        assertThat(json(send("POST", "/admin/things/abc/explode")).path("action").asText()).isEqualTo("explode");
    }

    @Test
    void aBadQueryParameterIsA400Problem() throws Exception {
        assertThat(json(send("GET", "/admin/count")).path("limit").asInt()).isEqualTo(10);
        assertThat(json(send("GET", "/admin/count?limit=500")).path("limit").asInt()).as("capped").isEqualTo(50);
        for (String limit : List.of("0", "-1", "ten")) {
            HttpResponse<String> refused = send("GET", "/admin/count?limit=" + limit);
            assertThat(refused.statusCode()).as(limit).isEqualTo(400);
            assertThat(json(refused).path("title").asText()).isEqualTo("Bad Request");
            assertThat(json(refused).path("detail").asText()).isEqualTo("limit: a whole number of at least 1 is expected");
        }
    }

    private static void assertMethodNotAllowed(String method, String path, String allow) throws Exception {
        HttpResponse<String> refused = send(method, path);
        assertThat(refused.statusCode()).as(method + " " + path).isEqualTo(405);
        assertThat(refused.headers().firstValue("Allow")).as(method + " " + path).hasValue(allow);
        if (!method.equals("HEAD")) {
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(refused).path("title").asText()).isEqualTo("Method Not Allowed");
            assertThat(json(refused).path("detail").asText()).isEqualTo(method + " is not allowed here");
        }
    }

    private static HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JsonRpc.MAPPER.readTree(response.body());
    }
}
