package io.mcpgw.server.admin;

import java.util.Map;

/** An admin request refused, answered as {@code application/problem+json} (RFC 9457). */
final class Problem extends RuntimeException {

    final int status;
    final String title;
    final Map<String, String> headers;

    Problem(int status, String title, String detail) {
        this(status, title, detail, Map.of());
    }

    Problem(int status, String title, String detail, Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.title = title;
        this.headers = Map.copyOf(headers);
    }

    static Problem notFound(String detail) {
        return new Problem(404, "Not Found", detail);
    }

    static Problem badRequest(String detail) {
        return new Problem(400, "Bad Request", detail);
    }

    static Problem conflict(String detail) {
        return new Problem(409, "Conflict", detail);
    }
}
