package io.mcpgw.server.ingress;

import io.mcpgw.server.jsonrpc.ErrorCode;

/** A request refused at the HTTP level: its status, and the JSON-RPC error the body carries. */
final class HttpError extends RuntimeException {

    final int status;
    final ErrorCode code;

    HttpError(int status, ErrorCode code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }
}
