package io.mcpgw.server.ingress;

import io.mcpgw.server.jsonrpc.ErrorCode;
import java.util.Map;

/** A request refused at the HTTP level: its status, and the JSON-RPC error the body carries. */
final class HttpError extends RuntimeException {

    final int status;
    final ErrorCode code;
    final Map<String, String> headers;

    HttpError(int status, ErrorCode code, String message) {
        this(status, code, message, Map.of());
    }

    HttpError(int status, ErrorCode code, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }
}
