package io.mcpgw.server.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.ClientText;
import io.mcpgw.server.jsonrpc.ErrorCode;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;

/**
 * The {@code io.mcpgw.requests} log: one line per client request at DEBUG, and one for a request answered with an
 * error at the level its {@link ErrorCode.Kind} calls for: a caller's mistake at DEBUG, a backend's failure at INFO,
 * the gateway's own at WARN. Both lines carry the request's context (tenant, client, session, request and trace id).
 */
public final class RequestLog {

    public static final Logger LOGGER = LogManager.getLogger("io.mcpgw.requests");

    private RequestLog() {}

    /** Logs how the request {@code method} was answered, in the thread context it was asked in (call it there). */
    public static BiConsumer<ObjectNode, Throwable> answerOf(String method) {
        Map<String, String> context = ThreadContext.getImmutableContext();
        return (response, failure) -> {
            JsonNode error = response == null ? null : response.get("error");
            if (failure == null && error == null) {
                return;
            }
            int code = error == null ? ErrorCode.INTERNAL_ERROR.code() : error.path("code").asInt();
            ErrorCode.Kind kind = ErrorCode.kindOf(code);
            Level level = level(kind);
            if (!LOGGER.isEnabled(level)) {
                return;
            }
            try (CloseableThreadContext.Instance ignored = CloseableThreadContext.putAll(context)) {
                String message = error == null ? failure.toString() : error.path("message").asText();
                LOGGER.log(level, "{} answered error {} ({}): {}", method, code, kind.label(), ClientText.excerpt(message));
            }
        };
    }

    static Level level(ErrorCode.Kind kind) {
        return switch (kind) {
            case USER -> Level.DEBUG;
            case EXTERNAL -> Level.INFO;
            case INTERNAL -> Level.WARN;
        };
    }
}
