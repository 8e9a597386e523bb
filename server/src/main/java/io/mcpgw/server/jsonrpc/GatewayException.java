package io.mcpgw.server.jsonrpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** A failure to serve one request, told to the client as a JSON-RPC error with {@link #code()}. */
public final class GatewayException extends RuntimeException {

    private final ErrorCode code;
    private final transient ObjectNode data;

    public GatewayException(ErrorCode code, String message) {
        this(code, message, (ObjectNode) null);
    }

    public GatewayException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.data = null;
    }

    /** With {@code data} for the error's {@code data} member, e.g. {@code {"retryAfterMillis": 100}}. */
    public GatewayException(ErrorCode code, String message, ObjectNode data) {
        super(message);
        this.code = code;
        this.data = data;
    }

    public ErrorCode code() {
        return code;
    }

    public Optional<ObjectNode> data() {
        return Optional.ofNullable(data);
    }
}
