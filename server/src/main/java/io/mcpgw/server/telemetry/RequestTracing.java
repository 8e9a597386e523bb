package io.mcpgw.server.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The spans of a client request: one per request (its parent the caller's {@code traceparent}, from the message's
 * {@code _meta} or else the HTTP header), with children for policy, credentials and the backend call. The trace
 * context goes on to every backend in the request's {@code _meta} (as the MCP trace-context convention has it), and
 * to HTTP backends in the {@code traceparent} header as well.
 */
@Singleton
public final class RequestTracing {

    private static final List<String> FIELDS = List.of("traceparent", "tracestate");
    private static final TextMapGetter<JsonNode> META = new TextMapGetter<>() {
        @Override
        public String get(JsonNode meta, String key) {
            return meta == null ? null : meta.path(key).textValue();
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    @Inject
    RequestTracing(Telemetry telemetry) {
        this.tracer = telemetry.tracer();
        this.propagator = telemetry.propagators().getTextMapPropagator();
    }

    /** The caller's trace context: the request's {@code _meta.traceparent} when it has one, else {@code transport}'s. */
    public Context parentOf(JsonNode params, Context transport) {
        JsonNode meta = params.path("_meta");
        return meta.path("traceparent").isTextual() ? propagator.extract(Context.root(), meta, META) : transport;
    }

    /** The trace context in headers, e.g. an HTTP request's {@code traceparent}. */
    public <C> Context extract(C carrier, TextMapGetter<C> getter) {
        return propagator.extract(Context.root(), carrier, getter);
    }

    /** The span of one client request, e.g. {@code tools/call demo__echo}. */
    public Span startRequest(String method, String target, Context parent) {
        return tracer.spanBuilder(target.isEmpty() ? method : method + " " + target).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute("mcp.method.name", method).startSpan();
    }

    /** Runs {@code work} in a child span of the current one; a refusal marks the span as an error. */
    public <T> T inSpan(String name, Supplier<T> work) {
        Span span = tracer.spanBuilder(name).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException e) {
            failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** The span of a call to a backend, a child of the current one. */
    public Span startBackendCall(String backend, String method) {
        return tracer.spanBuilder("backend " + method).setSpanKind(SpanKind.CLIENT).setAttribute("mcpgw.backend", backend)
                .setAttribute("mcp.method.name", method).startSpan();
    }

    /** Ends the span with how the answer came back: a JSON-RPC error, a failure, or fine. */
    public static void ended(Span span, JsonNode answer, Throwable error) {
        if (error != null) {
            failed(span, error);
        } else if (answer != null && answer.has("error")) {
            span.setAttribute("rpc.jsonrpc.error_code", answer.path("error").path("code").asLong());
            span.setStatus(StatusCode.ERROR, answer.path("error").path("message").asText());
        }
        span.end();
    }

    /** {@code params} with the current trace context in its {@code _meta}; the same params when there is none. */
    public JsonNode withTraceContext(JsonNode params) {
        if (!Span.current().getSpanContext().isValid() || !params.isObject()) {
            return params;
        }
        ObjectNode copy = JsonRpc.MAPPER.createObjectNode().setAll((ObjectNode) params);
        ObjectNode meta = params.get("_meta") instanceof ObjectNode own ? own.deepCopy() : copy.objectNode();
        FIELDS.forEach(meta::remove);
        propagator.inject(Context.current(), meta, (carrier, key, value) -> carrier.put(key, value));
        copy.set("_meta", meta);
        return copy;
    }

    private static void failed(Span span, Throwable error) {
        Throwable cause = error.getCause() != null && !(error instanceof GatewayException) ? error.getCause() : error;
        if (cause instanceof GatewayException gateway) {
            span.setAttribute("rpc.jsonrpc.error_code", gateway.code().code());
        }
        span.setStatus(StatusCode.ERROR, cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    }
}
