package io.mcpgw.server.jsonrpc;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every error the gateway gives a client: its JSON-RPC code, whose fault it is (the caller's, a backend's, or the
 * gateway's own), which decides the level of its line in the request log and the {@code error_kind} metrics count
 * it under, and the HTTP status of a refusal with this code where the code alone decides one (the others travel in
 * a JSON-RPC answer, or with a status that says more, such as 404 or 405 for an {@code INVALID_REQUEST}). The
 * gateway's own codes lie in {@code -32000} to {@code -32019}, the range MCP leaves to implementations; {@code -32020}
 * to {@code -32099} are the specification's.
 */
public enum ErrorCode {
    PARSE_ERROR(-32700, Kind.USER, 400),
    INVALID_REQUEST(-32600, Kind.USER, 400),
    METHOD_NOT_FOUND(-32601, Kind.USER),
    INVALID_PARAMS(-32602, Kind.USER),
    INTERNAL_ERROR(-32603, Kind.INTERNAL, 500),
    /** A client's answer to a backend's request did not come in time (the code the MCP SDKs use for timeouts). */
    REQUEST_TIMEOUT(-32001, Kind.USER),
    /** The request was cancelled; a client that cancelled its own request never sees this. */
    REQUEST_CANCELLED(-32800, Kind.USER),
    /** MCP's code for a resource URI nothing serves. */
    RESOURCE_NOT_FOUND(-32002, Kind.USER),
    /** The backend is down, failed to start, or its connection broke during the call. */
    BACKEND_UNAVAILABLE(-32010, Kind.EXTERNAL),
    /** The backend did not answer within its request timeout. */
    BACKEND_TIMEOUT(-32011, Kind.EXTERNAL),
    /** The backend answered with something that is not valid JSON-RPC. */
    BACKEND_PROTOCOL_ERROR(-32012, Kind.EXTERNAL),
    /** The backend's circuit is open after repeated failures: the call failed fast and never reached it. */
    CIRCUIT_OPEN(-32015, Kind.EXTERNAL),
    /** The backend has {@code maxConcurrentCalls} in flight: the call failed at once and never reached it. */
    BACKEND_SATURATED(-32016, Kind.EXTERNAL),
    /** The backend requires credentials and no provider has them for this caller (or the store is down). */
    CREDENTIALS_UNAVAILABLE(-32014, Kind.EXTERNAL),
    /** No connection to the backend could take the call in time (every one is leased to other sessions). */
    BACKEND_BUSY(-32013, Kind.EXTERNAL),
    /** No credentials, or credentials the identity resolver does not accept (HTTP 401). */
    UNAUTHENTICATED(-32005, Kind.USER, 401),
    /** The caller is known but not let in: an unknown tenant, a missing scope (HTTP 403). */
    FORBIDDEN(-32006, Kind.USER, 403),
    /** The session passed one of its halting limits and takes no more invocations. */
    HALTED(-32008, Kind.USER),
    /** A policy refused the invocation; {@code data.code} says which rule. */
    POLICY_DENIED(-32007, Kind.USER, 403),
    /** A quota or policy says not now; {@code data.retryAfterMillis} says when to try again. */
    THROTTLED(-32009, Kind.USER, 429),
    /**
     * MCP 2026-07-28's {@code HeaderMismatch}: a mirrored header (MCP-Protocol-Version, Mcp-Method, Mcp-Name,
     * Mcp-Param-*) is missing, malformed or says something else than the body.
     */
    HEADER_MISMATCH(-32020, Kind.USER, 400),
    /** MCP 2026-07-28's {@code MissingRequiredClientCapability}; {@code data.requiredCapabilities} names them. */
    MISSING_CLIENT_CAPABILITY(-32021, Kind.USER, 400),
    /** MCP 2026-07-28's {@code UnsupportedProtocolVersion}; {@code data.supported} and {@code data.requested}. */
    UNSUPPORTED_PROTOCOL_VERSION(-32022, Kind.USER, 400);

    /** Whose fault an error is: the caller's, a backend's, or the gateway's own. */
    public enum Kind {
        USER,
        EXTERNAL,
        INTERNAL;

        /** As metrics and logs show it: {@code user}, {@code external}, {@code internal}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Map<Integer, ErrorCode> BY_CODE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ErrorCode::code, Function.identity()));

    private final int code;
    private final Kind kind;
    private final OptionalInt httpStatus;

    ErrorCode(int code, Kind kind) {
        this.code = code;
        this.kind = kind;
        this.httpStatus = OptionalInt.empty();
    }

    ErrorCode(int code, Kind kind, int httpStatus) {
        this.code = code;
        this.kind = kind;
        this.httpStatus = OptionalInt.of(httpStatus);
    }

    /**
     * Whose fault an error with this JSON-RPC code is, whoever answered it: the gateway's codes and the standard
     * ones by what they mean; a code the gateway does not define is a backend's own, so {@link Kind#EXTERNAL}.
     */
    public static Kind kindOf(int code) {
        ErrorCode known = BY_CODE.get(code);
        return known == null ? Kind.EXTERNAL : known.kind;
    }

    public int code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }

    /** The status a refusal at the HTTP level with this code carries; empty where it is answered in a JSON-RPC body. */
    public OptionalInt httpStatus() {
        return httpStatus;
    }
}
