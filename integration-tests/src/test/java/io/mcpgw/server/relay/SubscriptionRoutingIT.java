package io.mcpgw.server.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.catalog.Catalog;
import io.mcpgw.server.ingress.RawWebSocket;
import io.mcpgw.testkit.NpmPeers;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingConfig;
import io.mcpgw.testkit.TestingGateway;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a resource subscription goes: at a backend's own endpoint to that backend, whatever the URI (the backend
 * decides); on the aggregate to the backend serving the URI, and nowhere, with {@code -32602}, when none does. A URI
 * several backends offer is a configuration error, logged once for as long as it stays the same.
 */
class SubscriptionRoutingIT {

    /** A URI server-everything accepts subscriptions to but lists nowhere, and matches none of its templates. */
    private static final String UNLISTED = "demo://resource/unlisted/1";

    @TempDir
    Path home;

    private static Path everythingServer() {
        if (NpmPeers.everythingServer().isEmpty()) {
            if (NpmPeers.required()) {
                fail("CI=true but node or @modelcontextprotocol/server-everything is missing (testkit/npm)");
            }
            Assumptions.abort("node is not installed here; this test runs wherever it is, and always under CI");
        }
        return NpmPeers.everythingServer().orElseThrow();
    }

    private static String everythingBackend(String id, Path server) {
        return """
                  - id: %s
                    transport: stdio
                    command: ["%s", "%s", "stdio"]
                """.formatted(id, NpmPeers.node().orElseThrow(), server);
    }

    private static URI ws(TestingGateway gateway, String path) {
        return URI.create(gateway.baseUri().toString().replaceFirst("^http", "ws") + path);
    }

    /** The answer to request {@code id}; the notifications that come before it are added to {@code notifications}. */
    private static JsonNode answerTo(RawWebSocket socket, int id, List<JsonNode> notifications) throws Exception {
        for (int i = 0; i < 50; i++) {
            JsonNode message = socket.next();
            if (message.has("method")) {
                notifications.add(message);
            } else if (message.path("id").asInt(-1) == id) {
                return message;
            }
        }
        throw new AssertionError("no answer to request " + id + " among 50 messages");
    }

    private static boolean isUpdateOf(JsonNode notification, String uri) {
        return notification.path("method").asText().equals("notifications/resources/updated")
                && notification.path("params").path("uri").asText().equals(uri);
    }

    @Test
    void aBackendsOwnEndpointSubscribesToAUriItDoesNotList() throws Exception {
        Path server = everythingServer();
        try (TestingGateway gateway = TestingGateway.start(home, "backends:\n" + everythingBackend("everything", server))
                .awaitReady(Duration.ofSeconds(60))) {
            try (RawWebSocket socket = RawWebSocket.connect(ws(gateway, "/servers/everything/ws"))) {
                socket.send("""
                        {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},
                         "clientInfo":{"name":"subscriber","version":"1"}}}""");
                List<JsonNode> notifications = new ArrayList<>();
                assertThat(answerTo(socket, 0, notifications).has("result")).isTrue();
                socket.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/subscribe\",\"params\":{\"uri\":\"" + UNLISTED + "\"}}");
                JsonNode subscribed = answerTo(socket, 1, notifications);
                assertThat(subscribed.path("result").isObject()).as(subscribed.toString()).isTrue();

                socket.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"toggle-subscriber-updates\",\"arguments\":{}}}");
                assertThat(answerTo(socket, 2, notifications).has("result")).isTrue();
                for (int i = 0; i < 50 && notifications.stream().noneMatch(notification -> isUpdateOf(notification, UNLISTED)); i++) {
                    notifications.add(socket.next());
                }
                assertThat(notifications).as("the backend's update for the URI reaches the subscriber")
                        .anyMatch(notification -> isUpdateOf(notification, UNLISTED));
            }

            RawMcp aggregate = new RawMcp(gateway, null, "/mcp").initialized();
            JsonNode listed = aggregate.request("resources/list", "{}").path("result").path("resources");
            assertThat(listed.toString()).as("the URI is one the backend does not list").isNotEmpty().doesNotContain(UNLISTED);
            assertThat(aggregate.request("resources/subscribe", "{\"uri\":\"" + UNLISTED + "\"}").path("error").path("code").asInt())
                    .as("on the aggregate nothing serves it").isEqualTo(-32602);
        }
    }

    @Test
    void anUnroutableUriOnTheAggregateIsInvalidParams() throws InterruptedException {
        try (TestingGateway gateway = TestingConfig.gateway().demoAndTesting("hi").startReady(home)) {
            RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
            for (String method : List.of("resources/subscribe", "resources/unsubscribe")) {
                JsonNode refused = client.request(method, "{\"uri\":\"nobody://x\"}").path("error");
                assertThat(refused.path("code").asInt()).as(method).isEqualTo(-32602);
                assertThat(refused.path("message").asText()).as(method)
                        .startsWith("No backend offers resource nobody://x (it is in no resources/list and matches no resource template)");
            }
            assertThat(client.request("resources/subscribe", "{\"uri\":\"test://doc/1\"}").path("result").isObject())
                    .as("a URI a backend lists").isTrue();
            assertThat(client.request("resources/subscribe", "{\"uri\":\"test://items/9\"}").path("result").isObject())
                    .as("a URI a backend's template matches").isTrue();
            assertThat(client.request("resources/read", "{\"uri\":\"nobody://x\"}").path("error").path("code").asInt())
                    .as("a read of it is still resource-not-found").isEqualTo(-32002);
        }
    }

    @Test
    void aUriOfferedByTwoBackendsIsLoggedOnceNotOnEveryRediscovery() throws Exception {
        Path server = everythingServer();
        List<String> logged = new CopyOnWriteArrayList<>();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        AbstractAppender capture = new AbstractAppender("conflicts", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel() == Level.ERROR) {
                    logged.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        capture.start();
        String name = Catalog.class.getName();
        LoggerConfig catalogLogs = new LoggerConfig(name, Level.ERROR, false);
        catalogLogs.addAppender(capture, Level.ERROR, null);
        context.getConfiguration().addLogger(name, catalogLogs);
        context.updateLoggers();
        try (TestingGateway gateway = TestingGateway.start(home, "backends:\n" + everythingBackend("first", server)
                + everythingBackend("second", server)).awaitReady(Duration.ofSeconds(60))) {
            RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
            List<String> shared = new ArrayList<>();
            client.request("resources/list", "{}").path("result").path("resources").forEach(resource -> shared.add(resource.path("uri").asText()));
            assertThat(shared).isNotEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> logged.size() >= shared.size());

            for (int i = 0; i < 5; i++) {
                JsonNode made = client.call("first__gzip-file-as-resource",
                        "{\"name\":\"made-" + i + ".gz\",\"data\":\"data:text/plain;base64,aGVsbG8=\",\"outputType\":\"resourceLink\"}");
                assertThat(made.has("result")).as(made.toString()).isTrue();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> client.request("resources/list", "{}").path("result").path("resources")
                    .toString().contains("demo://resource/session/made-4.gz"));

            for (String uri : shared) {
                assertThat(logged).as(uri).filteredOn(line -> line.contains("resource " + uri + " "))
                        .containsExactly("Configuration error: resource " + uri + " is offered by backends 'first', 'second'; reads go to"
                                + " 'first'. Give each backend its own URIs, or expose them through /servers/<id>/mcp.");
            }
            assertThat(logged).as("the first backend's own new resources are no conflict").noneMatch(line -> line.contains("made-"));
        } finally {
            context.getConfiguration().removeLogger(name);
            context.updateLoggers();
        }
    }
}
