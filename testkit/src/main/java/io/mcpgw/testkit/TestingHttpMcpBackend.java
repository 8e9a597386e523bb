package io.mcpgw.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A real Streamable HTTP MCP server for tests, with five tools: {@code whoami}, which answers with the
 * {@code Authorization} header the call came with, {@code traced}, which answers with the {@code traceparent}
 * header and the {@code _meta.traceparent} it came with, {@code echo}, answered as JSON, {@code session}, which
 * answers with the MCP session the call arrived in, and {@code poll}, answered the way the 2025-11-25 polling
 * pattern allows: an SSE stream that carries only a priming event and is closed before the answer, which the
 * client must fetch with GET and {@code Last-Event-ID}. It records the session each tools/call arrived in, and
 * the sessions the client ended with DELETE. Made with {@link #withStreamOpeningAfter}, it also serves the GET
 * stream a client opens for what the server says on its own, slowly, and counts the calls that came in a session
 * before its stream was open: what such a server would say there about them would be lost. Made with
 * {@link #neverAnsweringDelete}, it takes a DELETE and never finishes answering it, as some servers do.
 * {@link #overTls} serves the same over HTTPS, with a client certificate required if asked, and records the
 * subjects of the client certificates it saw.
 */
public final class TestingHttpMcpBackend implements AutoCloseable {

    private final HttpServer server;
    private final String origin;
    private final List<String> clientSubjects = new CopyOnWriteArrayList<>();
    private final Map<String, String> answersByEventId = new ConcurrentHashMap<>();
    private final AtomicInteger resumptions = new AtomicInteger();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    private final Set<String> forgotten = ConcurrentHashMap.newKeySet();
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> callSessions = new CopyOnWriteArrayList<>();
    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final Duration streamOpensAfter;
    private final Set<String> listening = ConcurrentHashMap.newKeySet();
    private final AtomicInteger callsBeforeStream = new AtomicInteger();
    private final boolean answersDelete;
    private final CountDownLatch closing = new CountDownLatch(1);

    public TestingHttpMcpBackend() throws IOException {
        this(plain(), "http://127.0.0.1", null, true);
    }

    private TestingHttpMcpBackend(HttpServer server, String origin, Duration streamOpensAfter, boolean answersDelete) {
        this.server = server;
        this.origin = origin;
        this.streamOpensAfter = streamOpensAfter;
        this.answersDelete = answersDelete;
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/mcp", this::handle);
        server.start();
    }

    /** A backend that answers a GET without {@code Last-Event-ID} with an event stream, its headers after {@code delay}. */
    public static TestingHttpMcpBackend withStreamOpeningAfter(Duration delay) throws IOException {
        return new TestingHttpMcpBackend(plain(), "http://127.0.0.1", delay, true);
    }

    /** A backend that records a DELETE, sends the head of its answer and holds the body until the server closes. */
    public static TestingHttpMcpBackend neverAnsweringDelete() throws IOException {
        return new TestingHttpMcpBackend(plain(), "http://127.0.0.1", null, false);
    }

    /** How many tools/call requests came in a session whose GET stream was not open yet. */
    public int callsBeforeStream() {
        return callsBeforeStream.get();
    }

    /**
     * The same server over HTTPS, presenting {@code certificate}, its URI naming {@code host} (the loopback address
     * under the name a test chooses, e.g. {@code localhost}); with {@code clientCa}, every client must present a
     * certificate issued by it.
     */
    public static TestingHttpMcpBackend overTls(TestingCertificateAuthority.Issued certificate, String host,
            Optional<TestingCertificateAuthority> clientCa) throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        SSLContext context = certificate.context(clientCa.orElse(certificate.issuer()));
        https.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = context.getDefaultSSLParameters();
                ssl.setNeedClientAuth(clientCa.isPresent());
                parameters.setSSLParameters(ssl);
            }
        });
        return new TestingHttpMcpBackend(https, "https://" + host, null, true);
    }

    private static HttpServer plain() throws IOException {
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    }

    public URI uri() {
        return URI.create(origin + ":" + server.getAddress().getPort() + "/mcp");
    }

    /** The subjects of the client certificates its HTTPS requests came with, one per request that had one. */
    public List<String> clientCertificateSubjects() {
        return List.copyOf(clientSubjects);
    }

    /** Forgets every session so far, as a restarted server does: requests in them get 404 from now on. */
    public void forgetSessions() {
        forgotten.addAll(sessions);
    }

    /** How many tools/call requests it has run. */
    public int calls() {
        return calls.get();
    }

    /** The MCP session each tools/call arrived in, in the order they arrived. */
    public List<String> callSessions() {
        return List.copyOf(callSessions);
    }

    /** The sessions a client ended with DELETE. */
    public Set<String> endedSessions() {
        return Set.copyOf(ended);
    }

    /** How many times a client resumed a stream with Last-Event-ID. */
    public int resumptions() {
        return resumptions.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        if (exchange instanceof HttpsExchange secured) {
            try {
                clientSubjects.add(secured.getSSLSession().getPeerPrincipal().getName());
            } catch (SSLPeerUnverifiedException e) {
                // no client certificate: nothing to record
            }
        }
        try (exchange) {
            switch (exchange.getRequestMethod()) {
                case "POST" -> post(exchange, JsonRpc.MAPPER.readTree(exchange.getRequestBody()));
                case "GET" -> resume(exchange);
                case "DELETE" -> {
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Mcp-Session-Id")).ifPresent(ended::add);
                    if (!answersDelete) {
                        // the head of an answer whose body never ends
                        exchange.sendResponseHeaders(200, 0);
                        exchange.getResponseBody().flush();
                        awaitClosing();
                        return;
                    }
                    exchange.sendResponseHeaders(204, -1);
                }
                default -> exchange.sendResponseHeaders(405, -1);
            }
        }
    }

    private void post(HttpExchange exchange, JsonNode message) throws IOException {
        String session = exchange.getRequestHeaders().getFirst("Mcp-Session-Id");
        if (session != null && forgotten.contains(session)) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        if (!message.has("id")) {
            exchange.sendResponseHeaders(202, -1);
            return;
        }
        JsonNode id = message.get("id");
        ObjectNode result = JsonRpc.MAPPER.createObjectNode();
        switch (message.path("method").asText()) {
            case "initialize" -> {
                result.put("protocolVersion", "2025-11-25");
                result.putObject("capabilities").putObject("tools");
                result.putObject("serverInfo").put("name", "testing-http").put("version", "1");
                String issued = UUID.randomUUID().toString();
                sessions.add(issued);
                exchange.getResponseHeaders().add("Mcp-Session-Id", issued);
            }
            case "tools/list" -> {
                for (String name : new String[] {"echo", "poll", "session", "traced", "whoami"}) {
                    result.withArray("tools").addObject().put("name", name)
                            .set("inputSchema", JsonRpc.MAPPER.createObjectNode().put("type", "object"));
                }
            }
            case "tools/call" -> {
                calls.incrementAndGet();
                callSessions.add(String.valueOf(session));
                if (streamOpensAfter != null && !listening.contains(String.valueOf(session))) {
                    callsBeforeStream.incrementAndGet();
                }
                String text = message.path("params").path("arguments").path("text").asText();
                if (message.path("params").path("name").asText().equals("poll")) {
                    pollLater(exchange, id, text);
                    return;
                }
                if (message.path("params").path("name").asText().equals("whoami")) {
                    text = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("none");
                }
                if (message.path("params").path("name").asText().equals("session")) {
                    text = String.valueOf(session);
                }
                if (message.path("params").path("name").asText().equals("traced")) {
                    text = "header=" + exchange.getRequestHeaders().getFirst("traceparent")
                            + " meta=" + message.path("params").path("_meta").path("traceparent").asText("none");
                }
                result.putArray("content").addObject().put("type", "text").put("text", text);
            }
            default -> { }
        }
        send(exchange, "application/json", JsonRpc.write(JsonRpc.result(id, result)));
    }

    /** Primes a stream, remembers the answer under the priming event's id, and closes the stream. */
    private void pollLater(HttpExchange exchange, JsonNode id, String text) throws IOException {
        String eventId = UUID.randomUUID().toString();
        ObjectNode result = JsonRpc.MAPPER.createObjectNode();
        result.putArray("content").addObject().put("type", "text").put("text", "polled " + text);
        answersByEventId.put(eventId, JsonRpc.write(JsonRpc.result(id, result)));
        send(exchange, "text/event-stream", "id: " + eventId + "\nretry: 100\ndata: \n\n");
    }

    private void resume(HttpExchange exchange) throws IOException {
        String lastEventId = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        if (lastEventId == null && streamOpensAfter != null) {
            listen(exchange);
            return;
        }
        String answer = lastEventId == null ? null : answersByEventId.remove(lastEventId);
        if (answer == null) {
            exchange.sendResponseHeaders(405, -1);
            return;
        }
        resumptions.incrementAndGet();
        send(exchange, "text/event-stream", "id: " + lastEventId + "-answer\ndata: " + answer + "\n\n");
    }

    /** Opens the session's stream after the delay and keeps it open, saying nothing, until the server closes. */
    private void listen(HttpExchange exchange) throws IOException {
        try {
            Thread.sleep(streamOpensAfter);
            listening.add(String.valueOf(exchange.getRequestHeaders().getFirst("Mcp-Session-Id")));
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().flush();
            awaitClosing();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitClosing() {
        try {
            closing.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
