package io.mcpgw.server.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.mcpgw.server.http.HttpProblem;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.jsonrpc.StrictJson;
import io.undertow.io.Receiver;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** What every client-facing HTTP endpoint does the same way: read a JSON body, answer JSON, open an event stream. */
final class HttpExchanges {

    private static final Logger LOG = LogManager.getLogger(HttpExchanges.class);

    private HttpExchanges() {}

    /** The part of an endpoint that runs on a worker thread and may block. */
    interface BlockingServe {
        void serve(HttpServerExchange exchange) throws IOException, InterruptedException;
    }

    /**
     * Runs {@code serve} on a worker (virtual) thread with blocking I/O; an {@link HttpProblem} becomes its status and
     * a JSON-RPC error body, anything unexpected a 500 that shows the client no details.
     */
    static void serveBlocking(HttpServerExchange exchange, HttpHandler self, BlockingServe serve) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(self);
            return;
        }
        exchange.startBlocking();
        try {
            serve.serve(exchange);
        } catch (RuntimeException e) {
            answerFailure(exchange, e);
        }
    }

    /** Runs {@code serve} where it is called, on an I/O thread, answering failures as {@link #serveBlocking}; {@code serve} must not block. */
    static void serveAtOnce(HttpServerExchange exchange, Runnable serve) {
        try {
            serve.run();
        } catch (RuntimeException e) {
            answerFailure(exchange, e);
        }
    }

    /**
     * Continues with {@code serve} on a virtual thread, where it may block (as {@link #serveBlocking}); the exchange
     * ends when it returns, unless it dispatched the exchange again.
     */
    static void continueBlocking(HttpServerExchange exchange, Executor virtualThreads, BlockingServe serve) {
        exchange.dispatch(virtualThreads, dispatched -> {
            dispatched.startBlocking();
            try {
                serve.serve(dispatched);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answerFailure(dispatched, e);
            } catch (IOException | RuntimeException e) {
                answerFailure(dispatched, e);
            }
        });
    }

    /** An {@link HttpProblem} as its status; anything else a 500 that shows the client no details, unless the client is gone. */
    private static void answerFailure(HttpServerExchange exchange, Exception failure) {
        if (failure instanceof HttpProblem refused) {
            refuse(exchange, refused);
            return;
        }
        if (!exchange.getConnection().isOpen() || exchange.isResponseStarted()) {
            LOG.debug("{} {} ended while the connection was closing", exchange.getRequestMethod(), exchange.getRequestPath(), failure);
            return;
        }
        LOG.error("Unexpected failure on {} {}", exchange.getRequestMethod(), exchange.getRequestPath(), failure);
        refuse(exchange, new HttpProblem(ErrorCode.INTERNAL_ERROR, "internal error"));
    }

    /**
     * Refuses with 415 or 413 a request whose headers say it does not carry JSON within {@code maxBytes}: the media
     * type must be {@code application/json} itself, parameters (such as {@code charset}) allowed.
     */
    static void checkJsonHeaders(HttpServerExchange exchange, int maxBytes) {
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        int parameters = contentType == null ? -1 : contentType.indexOf(';');
        String mediaType = contentType == null ? "" : (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim();
        if (!mediaType.equalsIgnoreCase("application/json")) {
            throw new HttpProblem(415, ErrorCode.INVALID_REQUEST, "Content-Type must be application/json");
        }
        if (exchange.getRequestContentLength() > maxBytes) {
            throw tooLarge(maxBytes);
        }
    }

    /**
     * The request's JSON body, refused with 415, 413 or 400 when it is not one within {@code maxBytes}, or when its
     * framing is broken (a bad chunk size, a connection closed in the middle).
     */
    static JsonNode readJson(HttpServerExchange exchange, int maxBytes) {
        checkJsonHeaders(exchange, maxBytes);
        byte[] body;
        try (InputStream in = exchange.getInputStream()) {
            body = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            throw unreadable(exchange, e, maxBytes);
        }
        return parseJson(body, maxBytes);
    }

    /**
     * Why a body could not be read, as the client's refusal: 413 when it was too large (whether its length said so
     * or its chunks added up to it), 400 otherwise. The connection closes after the answer: where the next request
     * would begin is not known.
     */
    static HttpProblem unreadable(HttpServerExchange exchange, Throwable failure, int maxBytes) {
        LOG.debug("A request body could not be read: {}", failure.toString());
        exchange.setPersistent(false);
        if (failure instanceof RequestTooBigException || failure instanceof Receiver.RequestToLargeException) {
            return tooLarge(maxBytes);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MalformedChunkedBody malformed) {
                return new HttpProblem(ErrorCode.PARSE_ERROR, "Parse error: malformed chunked body: " + malformed.getMessage());
            }
        }
        return new HttpProblem(ErrorCode.PARSE_ERROR, "Parse error: the body could not be read (broken framing)");
    }

    private static HttpProblem tooLarge(int maxBytes) {
        return new HttpProblem(413, ErrorCode.INVALID_REQUEST, "Request body larger than " + maxBytes + " bytes");
    }

    /** A request body as JSON, refused with 413 or 400 when it is not one within {@code maxBytes}. */
    static JsonNode parseJson(byte[] body, int maxBytes) {
        if (body.length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        if (body.length == 0) {
            throw new HttpProblem(ErrorCode.PARSE_ERROR, "Parse error: empty body");
        }
        try {
            return StrictJson.parse(body);
        } catch (GatewayException e) {
            throw new HttpProblem(e.code(), e.getMessage());
        }
    }

    static void respondWithJson(HttpServerExchange exchange, int status, JsonNode body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(JsonRpc.write(body), StandardCharsets.UTF_8);
    }

    static void fail(HttpServerExchange exchange, int status, ErrorCode code, String message) {
        respondWithJson(exchange, status, JsonRpc.error(NullNode.getInstance(), code.code(), message));
    }

    /**
     * What {@code admission} admits; a refusal becomes its code's HTTP status: 403 for who the caller is, 429 (with
     * {@code Retry-After} when known) for a limit reached.
     */
    static <T> T admitted(Supplier<T> admission) {
        try {
            return admission.get();
        } catch (GatewayException e) {
            Map<String, String> headers = e.data().map(data -> data.path("retryAfterMillis"))
                    .filter(JsonNode::isNumber)
                    .map(millis -> Map.of("Retry-After", Long.toString((millis.asLong() + 999) / 1000)))
                    .orElse(Map.of());
            throw new HttpProblem(e.code(), e.getMessage(), headers);
        }
    }

    /** Answers with the refusal's status, headers and JSON-RPC error, under the id of the request refused when known. */
    static void refuse(HttpServerExchange exchange, HttpProblem problem) {
        problem.headers().forEach((name, value) -> exchange.getResponseHeaders().put(new HttpString(name), value));
        respondWithJson(exchange, problem.status(), JsonRpc.error(problem.requestId(), problem.code().code(), problem.getMessage()));
    }

    static SseChannel openEventStream(HttpServerExchange exchange) {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        return new SseChannel(exchange.getOutputStream());
    }
}
