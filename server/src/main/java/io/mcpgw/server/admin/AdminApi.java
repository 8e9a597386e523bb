package io.mcpgw.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.audit.AuditEventJson;
import io.mcpgw.server.audit.AuditJournal;
import io.mcpgw.server.catalog.Agents;
import io.mcpgw.server.catalog.Catalog;
import io.mcpgw.server.config.AdminConfig;
import io.mcpgw.server.config.AgentConfig;
import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.config.ConfigLoader;
import io.mcpgw.server.config.Durations;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.config.StartupException;
import io.mcpgw.server.egress.Backend;
import io.mcpgw.server.egress.BackendManager;
import io.mcpgw.server.egress.BackendStatus;
import io.mcpgw.server.governance.Governance;
import io.mcpgw.server.ingress.FailedAuthentications;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.monitor.GatewayMonitor;
import io.mcpgw.server.session.SessionStore;
import io.mcpgw.server.telemetry.CallSeries;
import io.mcpgw.server.telemetry.PrometheusText;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The admin API under {@code /admin/} and Prometheus metrics at {@code /metrics}: every request needs one of the
 * configured bearer tokens; JSON in and out, errors as {@code application/problem+json}; definitions shown with
 * their secrets redacted. Every change an operator makes is audited, with which token made it.
 */
@Singleton
final class AdminApi implements HttpHandler {

    private static final Logger LOG = LogManager.getLogger(AdminApi.class);
    private static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final int DEFAULT_AUDIT_LIMIT = 100;
    private static final int DEFAULT_CALLS_STEP = 5;

    private final List<byte[]> tokenDigests;
    private final Operator operator;
    private final BackendManager backends;
    private final Agents agents;
    private final Catalog catalog;
    private final SessionStore sessions;
    private final AuditJournal journal;
    private final GatewayMonitor monitor;
    private final PrometheusText metrics;
    private final AdminViews views;
    private final Duration drainTimeout;
    private final FailedAuthentications failures;
    private final Governance governance;
    private final CallSeries calls;

    @Inject
    AdminApi(McpgwConfig config, Operator operator, BackendManager backends, Agents agents, Catalog catalog, SessionStore sessions,
            AuditJournal journal, GatewayMonitor monitor, PrometheusText metrics, AdminViews views, FailedAuthentications failures, Governance governance,
            CallSeries calls) {
        this.governance = governance;
        this.calls = calls;
        this.views = views;
        this.failures = failures;
        this.tokenDigests = config.admin().map(AdminConfig::tokens).orElse(List.of()).stream().map(AdminApi::digest).toList();
        this.operator = operator;
        this.backends = backends;
        this.agents = agents;
        this.catalog = catalog;
        this.sessions = sessions;
        this.journal = journal;
        this.monitor = monitor;
        this.metrics = metrics;
        this.drainTimeout = config.reload().drainTimeout();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        exchange.startBlocking();
        try {
            String actor = authenticate(exchange);
            String path = exchange.getRequestPath();
            if (path.equals("/metrics")) {
                only(exchange, "GET");
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, PrometheusText.CONTENT_TYPE);
                exchange.getResponseSender().send(metrics.scrape(), StandardCharsets.UTF_8);
                return;
            }
            if (!path.startsWith("/admin/")) {
                throw Problem.notFound("No admin resource at " + path);
            }
            route(exchange, new Request(exchange, actor, segments(path.substring("/admin/".length()))));
        } catch (Problem problem) {
            problem(exchange, problem);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem(exchange, new Problem(503, "Service Unavailable", "the gateway is stopping"));
        } catch (RuntimeException | IOException e) {
            LOG.error("Admin request {} {} failed", exchange.getRequestMethod(), exchange.getRequestPath(), e);
            problem(exchange, new Problem(500, "Internal Server Error", "the request failed; see the gateway's log"));
        }
    }

    /** One admin request: its path below {@code /admin/} in segments, and which token made it. */
    private record Request(HttpServerExchange exchange, String actor, List<String> path) {
        String method() {
            return exchange.getRequestMethod().toString();
        }

        String segment(int index) {
            return path.get(index);
        }

        boolean is(String... expected) {
            if (expected.length != path.size()) {
                return false;
            }
            for (int i = 0; i < expected.length; i++) {
                if (!expected[i].equals("*") && !expected[i].equals(path.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    private void route(HttpServerExchange exchange, Request request) throws IOException, InterruptedException {
        if (request.is("status")) {
            only(exchange, "GET");
            json(exchange, 200, views.status());
        } else if (request.is("backends")) {
            switch (only(exchange, "GET", "POST")) {
                case "GET" -> json(exchange, 200, array(backends.all().stream().map(views::backend).toList()));
                default -> addBackend(request);
            }
        } else if (request.is("backends", "*")) {
            String id = request.segment(1);
            switch (only(exchange, "GET", "PUT", "DELETE")) {
                case "GET" -> json(exchange, 200, views.backend(existingBackend(id)));
                case "PUT" -> putBackend(request, id);
                default -> {
                    operator.removeBackend(id, drainTimeout(exchange)).orElseThrow(() -> noBackend(id));
                    audit(request, "remove-backend", id);
                    exchange.setStatusCode(204);
                }
            }
        } else if (request.is("backends", "*", "tools")) {
            only(exchange, "GET");
            json(exchange, 200, views.tools(existingBackend(request.segment(1))));
        } else if (request.is("backends", "*", "tools", "*", "approve")) {
            only(exchange, "POST");
            String id = request.segment(1);
            existingBackend(id);
            if (!catalog.approve(id, request.segment(3))) {
                throw Problem.notFound("backend '" + id + "' offers no tool '" + request.segment(3) + "'");
            }
            audit(request, "approve-tool", id + "/" + request.segment(3));
            json(exchange, 200, JsonRpc.MAPPER.createObjectNode().put("approved", true));
        } else if (request.is("backends", "*", "*")) {
            only(exchange, "POST");
            backendAction(request, existingBackend(request.segment(1)), request.segment(2));
        } else if (request.is("sessions")) {
            only(exchange, "GET");
            json(exchange, 200, array(sessions.all().stream().map(AdminViews::session).toList()));
        } else if (request.is("sessions", "*")) {
            only(exchange, "DELETE");
            if (!operator.endSession(request.segment(1))) {
                throw Problem.notFound("no session '" + request.segment(1) + "'");
            }
            audit(request, "end-session", request.segment(1));
            exchange.setStatusCode(204);
        } else if (request.is("agents")) {
            switch (only(exchange, "GET", "POST")) {
                case "GET" -> json(exchange, 200, array(agents.all().stream().map(views::agent).toList()));
                default -> addAgent(request);
            }
        } else if (request.is("agents", "*")) {
            String name = request.segment(1);
            switch (only(exchange, "GET", "DELETE")) {
                case "GET" -> json(exchange, 200, views.agent(agents.get(name).orElseThrow(() -> noAgent(name))));
                default -> {
                    try {
                        operator.removeAgent(name).orElseThrow(() -> noAgent(name));
                    } catch (IllegalStateException e) {
                        throw Problem.conflict(e.getMessage());
                    }
                    audit(request, "remove-agent", name);
                    exchange.setStatusCode(204);
                }
            }
        } else if (request.is("calls")) {
            only(exchange, "GET");
            int seconds = intParameter(exchange, "seconds", CallSeries.SECONDS, CallSeries.SECONDS);
            int step = intParameter(exchange, "step", DEFAULT_CALLS_STEP, seconds);
            json(exchange, 200, AdminViews.calls(calls.window(backends.all().stream().map(Backend::id).toList(), seconds, step)));
        } else if (request.is("tenants")) {
            only(exchange, "GET");
            json(exchange, 200, array(governance.tenants().stream().map(AdminViews::tenant).toList()));
        } else if (request.is("audit")) {
            only(exchange, "GET");
            int limit = intParameter(exchange, "limit", DEFAULT_AUDIT_LIMIT, AuditJournal.RECENT_EVENTS);
            json(exchange, 200, array(journal.recent(limit).stream().map(event -> (JsonNode) AuditEventJson.write(event)).toList()));
        } else if (request.is("reload")) {
            only(exchange, "POST");
            ReloadReport report;
            try {
                report = operator.reload("admin API (" + request.actor() + ")");
            } catch (StartupException e) {
                throw new Problem(422, "Configuration Refused", e.getMessage() + " (nothing was changed)");
            }
            json(exchange, 200, report.toJson());
        } else {
            throw Problem.notFound("No admin resource at " + exchange.getRequestPath());
        }
    }

    private void addBackend(Request request) throws IOException, InterruptedException {
        BackendConfig config = section(request.exchange(), BackendConfig.class, null);
        change(() -> operator.addBackend(config));
        audit(request, "add-backend", config.id());
        request.exchange().getResponseHeaders().put(Headers.LOCATION, "/admin/backends/" + config.id());
        json(request.exchange(), 201, views.backend(existingBackend(config.id())));
    }

    /** Redefines the backend, or adds it when there is none with that id. */
    private void putBackend(Request request, String id) throws IOException, InterruptedException {
        BackendConfig config = section(request.exchange(), BackendConfig.class, id);
        Duration drain = drainTimeout(request.exchange());
        if (change(() -> operator.redefineBackend(config, drain)).isPresent()) {
            audit(request, "redefine-backend", id);
            json(request.exchange(), 200, views.backend(existingBackend(id)));
            return;
        }
        change(() -> operator.addBackend(config));
        audit(request, "add-backend", id);
        json(request.exchange(), 201, views.backend(existingBackend(id)));
    }

    private void backendAction(Request request, Backend backend, String action) throws InterruptedException {
        ObjectNode result = JsonRpc.MAPPER.createObjectNode();
        switch (action) {
            case "enable" -> {
                if (!backend.enable() && backend.status().state() == BackendStatus.State.DRAINING) {
                    throw Problem.conflict("backend '" + backend.id() + "' is draining; enable it once it is disabled");
                }
            }
            case "disable" -> result.put("callsCutShort", backend.drain(Duration.ZERO));
            case "drain" -> result.put("callsCutShort", backend.drain(drainTimeout(request.exchange())));
            case "reset-circuit" -> backend.resetCircuit();
            default -> throw Problem.notFound("No admin resource at " + request.exchange().getRequestPath()
                    + " (actions: enable, disable, drain, reset-circuit)");
        }
        audit(request, action, backend.id());
        result.set("backend", views.backend(backend));
        json(request.exchange(), 200, result);
    }

    private void addAgent(Request request) throws IOException, InterruptedException {
        AgentConfig config = section(request.exchange(), AgentConfig.class, null);
        Agents.Defined added = change(() -> operator.addAgent(config));
        audit(request, "add-agent", config.name());
        request.exchange().getResponseHeaders().put(Headers.LOCATION, "/admin/agents/" + config.name());
        json(request.exchange(), 201, views.agent(added));
    }

    /** An operator's change to the gateway. */
    private interface Change<T> {
        T apply() throws InterruptedException;
    }

    /** Makes a change: a definition its extension refuses is a 400, a name already taken a 409. */
    private static <T> T change(Change<T> change) throws InterruptedException {
        try {
            return change.apply();
        } catch (StartupException e) {
            throw Problem.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw Problem.conflict(e.getMessage());
        }
    }

    private Backend existingBackend(String id) {
        return backends.get(id).orElseThrow(() -> noBackend(id));
    }

    private static Problem noBackend(String id) {
        return Problem.notFound("no backend '" + id + "'");
    }

    private static Problem noAgent(String name) {
        return Problem.notFound("no agent '" + name + "'");
    }

    /** Which token the request carries ({@code admin token #n}); 401 without a valid one. */
    private String authenticate(HttpServerExchange exchange) {
        String remote = exchange.getSourceAddress() instanceof InetSocketAddress address ? address.getHostString() : "";
        failures.throttled(remote).ifPresent(seconds -> {
            throw new Problem(429, "Too Many Requests", "too many failed authentications from this address; try again later",
                    Map.of("Retry-After", Long.toString(seconds)));
        });
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] presented = digest(header.substring(7).trim());
            for (int i = 0; i < tokenDigests.size(); i++) {
                if (MessageDigest.isEqual(presented, tokenDigests.get(i))) {
                    return "admin token #" + (i + 1);
                }
            }
        }
        failures.failed(remote, "admin", header == null ? "no admin token" : "the admin token is not valid");
        throw new Problem(401, "Unauthorized", "an admin token is required (Authorization: Bearer <token>)",
                Map.of("WWW-Authenticate", "Bearer realm=\"mcpgw-admin\""));
    }

    private void audit(Request request, String action, String target) {
        monitor.adminAction(action, target, request.actor());
    }

    /** The method, when it is one of {@code allowed}; 405 with {@code Allow} otherwise. */
    private static String only(HttpServerExchange exchange, String... allowed) {
        String method = exchange.getRequestMethod().toString();
        for (String each : allowed) {
            if (each.equals(method)) {
                return method;
            }
        }
        throw new Problem(405, "Method Not Allowed", method + " is not allowed here", Map.of("Allow", String.join(", ", allowed)));
    }

    /** The body as a section of the given type, checked as strictly as the file; {@code id}, when given, must agree. */
    private static <T> T section(HttpServerExchange exchange, Class<T> type, String id) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new Problem(415, "Unsupported Media Type", "Content-Type must be application/json");
        }
        byte[] body;
        try (InputStream in = exchange.getInputStream()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new Problem(413, "Content Too Large", "the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        String json = new String(body, StandardCharsets.UTF_8);
        if (id != null) {
            JsonNode tree;
            try {
                tree = JsonRpc.MAPPER.readTree(json);
            } catch (IOException e) {
                throw Problem.badRequest("the body is not JSON: " + e.getMessage());
            }
            if (tree instanceof ObjectNode object) {
                if (object.has("id") && !id.equals(object.path("id").asText())) {
                    throw Problem.badRequest("the body's id '" + object.path("id").asText() + "' is not the path's '" + id + "'");
                }
                object.put("id", id);
                json = JsonRpc.write(object);
            }
        }
        try {
            return ConfigLoader.parseSection(json, type, "request body");
        } catch (StartupException e) {
            throw Problem.badRequest(e.getMessage());
        }
    }

    /** How long a leaving backend may finish its calls: {@code ?timeout=}, else {@code reload.drainTimeout}. */
    private Duration drainTimeout(HttpServerExchange exchange) {
        Deque<String> values = exchange.getQueryParameters().get("timeout");
        if (values == null || values.isEmpty()) {
            return drainTimeout;
        }
        return Durations.parse(values.getFirst()).orElseThrow(() -> Problem.badRequest("timeout: not " + Durations.EXPECTED));
    }

    private static int intParameter(HttpServerExchange exchange, String name, int fallback, int max) {
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
        throw Problem.badRequest(name + ": a whole number of at least 1 is expected");
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            segments.add(segment);
        }
        if (!segments.isEmpty() && segments.getLast().isEmpty()) {
            segments.removeLast();
        }
        return segments;
    }

    private static ArrayNode array(List<? extends JsonNode> items) {
        ArrayNode array = JsonRpc.MAPPER.createArrayNode();
        array.addAll(items);
        return array;
    }

    private static void json(HttpServerExchange exchange, int status, JsonNode body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(JsonRpc.write(body), StandardCharsets.UTF_8);
    }

    private static void problem(HttpServerExchange exchange, Problem problem) {
        if (exchange.isResponseStarted()) {
            return;
        }
        problem.headers.forEach((name, value) -> exchange.getResponseHeaders().put(new HttpString(name), value));
        ObjectNode body = JsonRpc.MAPPER.createObjectNode()
                .put("type", "about:blank")
                .put("title", problem.title)
                .put("status", problem.status)
                .put("detail", problem.getMessage())
                .put("instance", exchange.getRequestPath());
        exchange.setStatusCode(problem.status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/problem+json");
        exchange.getResponseSender().send(JsonRpc.write(body), StandardCharsets.UTF_8);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
