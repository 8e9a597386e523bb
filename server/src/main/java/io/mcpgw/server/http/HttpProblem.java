package io.mcpgw.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.undertow.util.StatusCodes;
import java.util.Map;

/**
 * A request refused at the HTTP level: its status and title, what went wrong, the headers the answer carries
 * ({@code Allow}, {@code Retry-After}, {@code WWW-Authenticate}), and the JSON-RPC code for a client that reads the
 * body as JSON-RPC. The listener that refused it decides the body: the admin API answers
 * {@code application/problem+json} (RFC 9457), the MCP endpoints a JSON-RPC error, which carries the id of the
 * request refused when the body was read far enough to know it (null before).
 */
public final class HttpProblem extends RuntimeException {

    /** RFC 9110's names where Undertow still has the older ones. */
    private static final Map<Integer, String> TITLES = Map.of(413, "Content Too Large", 422, "Unprocessable Content");

    private final int status;
    private final String title;
    private final ErrorCode code;
    private final Map<String, String> headers;
    private final JsonNode requestId;

    /** Refused with the status the code names. */
    public HttpProblem(ErrorCode code, String detail) {
        this(code, detail, Map.of());
    }

    public HttpProblem(ErrorCode code, String detail, Map<String, String> headers) {
        this(code.httpStatus().orElseThrow(() -> new IllegalArgumentException(code + " names no HTTP status")), code, detail, headers);
    }

    /** Refused with a status that says more than the code (404, 405, 413, ... with {@code INVALID_REQUEST}). */
    public HttpProblem(int status, ErrorCode code, String detail) {
        this(status, code, detail, Map.of());
    }

    public HttpProblem(int status, ErrorCode code, String detail, Map<String, String> headers) {
        this(status, TITLES.getOrDefault(status, StatusCodes.getReason(status)), code, detail, headers);
    }

    /** Refused under a title of its own, where the status's name would say less. */
    public HttpProblem(int status, String title, ErrorCode code, String detail, Map<String, String> headers) {
        this(status, title, code, detail, headers, NullNode.getInstance());
    }

    private HttpProblem(int status, String title, ErrorCode code, String detail, Map<String, String> headers, JsonNode requestId) {
        super(detail);
        this.status = status;
        this.title = title;
        this.code = code;
        this.headers = Map.copyOf(headers);
        this.requestId = requestId;
    }

    /** The same refusal, answering the request with this id (a JSON-RPC id, or null for a message without one). */
    public HttpProblem answering(JsonNode requestId) {
        return new HttpProblem(status, title, code, getMessage(), headers, requestId);
    }

    public static HttpProblem notFound(String detail) {
        return new HttpProblem(404, ErrorCode.INVALID_REQUEST, detail);
    }

    public static HttpProblem badRequest(String detail) {
        return new HttpProblem(ErrorCode.INVALID_REQUEST, detail);
    }

    public static HttpProblem conflict(String detail) {
        return new HttpProblem(409, ErrorCode.INVALID_REQUEST, detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The id of the request refused; JSON null when it is not known. */
    public JsonNode requestId() {
        return requestId;
    }
}
