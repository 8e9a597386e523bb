package io.mcpgw.server.config;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The {@code server:} section.
 *
 * @param host the address the MCP endpoint listens on; loopback unless deliberately opened
 * @param port the port; 0 picks a free one (logged, and shown by {@code mcpgw status})
 * @param allowedOrigins browser origins allowed to call, {@code *} matching any port, e.g. {@code http://localhost:*};
 *     a request with another {@code Origin} gets 403
 * @param shutdownTimeout how long a graceful stop waits for work in flight
 * @param dataDirectory where the gateway and its extensions keep state, relative to the install directory
 * @param sessionIdleTimeout how long a client session lives without a request
 * @param sseReplayEvents how many recent SSE events a session keeps for clients resuming with Last-Event-ID
 * @param maxRequestBytes the largest request body accepted (413 above)
 * @param stateless no sessions: every request stands alone (for deployments behind load balancers)
 * @param pageSize items per page of the aggregated lists
 * @param clientRequestTimeout how long a backend's request to a client (sampling, elicitation, roots) waits for the
 *     client's answer before the backend gets a timeout error
 * @param ioThreads threads that read and write the client and HTTP backend sockets, and serve calls where nothing
 *     can block (other work runs on virtual threads); default half the cores, at least one
 * @param allowedHosts further names a loopback listener answers to in {@code Host} (with any port), besides
 *     {@code 127.0.0.1}, {@code localhost} and {@code [::1]}; any other {@code Host} gets 403
 * @param requestHeaderTimeout how long a connection may take to send a request's headers; it is closed after
 * @param requestIdleTimeout how long a request's body may pause; the connection is closed after
 * @param maxConnections client connections open at once; past it new ones wait to be accepted
 * @param maxSessions client sessions at once, across all tenants; an {@code initialize} past it is refused
 * @param maxStreamsPerSession GET streams a session may hold open at once; another gets 409
 * @param authFailuresPerMinute failed authentications a source address may make per minute (client and admin
 *     listeners together) before its requests get 429 without being checked
 * @param maxListeners {@code subscriptions/listen} streams (MCP 2026-07-28) open at once, across all principals;
 *     another is refused with 429
 * @param maxListenersPerPrincipal {@code subscriptions/listen} streams one principal (tenant and client) may hold
 *     open at once; another is refused with 429
 * @param listenKeepAlive how often a quiet {@code subscriptions/listen} stream is written a keep-alive comment
 * @param tls HTTPS instead of HTTP, and with {@code clientCa} mutual TLS; none by default
 * @param stateKeys AES-256 keys (base64, 32 bytes each) that seal what the gateway hands modern clients to bring
 *     back (the {@code requestState} of its {@code input_required} results, task ids): the first seals, every one
 *     opens, so a key can be rotated without breaking a retry or a task in flight; none: a random key made at start
 *     (one node only, and a restart refuses what it sealed before)
 * @param maxPendingInputs calls held open at once, across all clients, while a backend waits for a modern client's
 *     retry with its input; a backend's request past it is refused
 * @param maxPendingInputsPerClient the same, for one client (tenant and client id)
 */
public record ServerConfig(
        String host,
        Integer port,
        List<String> allowedOrigins,
        Duration shutdownTimeout,
        String dataDirectory,
        Duration sessionIdleTimeout,
        Integer sseReplayEvents,
        Integer maxRequestBytes,
        Boolean stateless,
        Integer pageSize,
        Duration clientRequestTimeout,
        Integer ioThreads,
        List<String> allowedHosts,
        Duration requestHeaderTimeout,
        Duration requestIdleTimeout,
        Integer maxConnections,
        Integer maxSessions,
        Integer maxStreamsPerSession,
        Integer authFailuresPerMinute,
        Integer maxListeners,
        Integer maxListenersPerPrincipal,
        Duration listenKeepAlive,
        TlsConfig tls,
        List<String> stateKeys,
        Integer maxPendingInputs,
        Integer maxPendingInputsPerClient) {

    public static final ServerConfig DEFAULTS = new ServerConfig(null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    private static final int STATE_KEY_BYTES = 32;

    public ServerConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 8080 : port;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is not a port (0 to 65535; 0 picks a free one)");
        }
        allowedOrigins = allowedOrigins == null
                ? List.of("http://localhost:*", "http://127.0.0.1:*", "https://localhost:*", "https://127.0.0.1:*")
                : List.copyOf(allowedOrigins);
        shutdownTimeout = shutdownTimeout == null ? Duration.ofSeconds(30) : shutdownTimeout;
        dataDirectory = dataDirectory == null ? "data" : dataDirectory;
        sessionIdleTimeout = sessionIdleTimeout == null ? Duration.ofMinutes(30) : sessionIdleTimeout;
        sseReplayEvents = sseReplayEvents == null ? 256 : sseReplayEvents;
        if (sseReplayEvents < 0) {
            throw new IllegalArgumentException("sseReplayEvents: must not be negative");
        }
        maxRequestBytes = maxRequestBytes == null ? 4 * 1024 * 1024 : maxRequestBytes;
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("maxRequestBytes: must be at least 1024");
        }
        stateless = stateless != null && stateless;
        pageSize = pageSize == null ? 100 : pageSize;
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize: must be at least 1");
        }
        clientRequestTimeout = clientRequestTimeout == null ? Duration.ofMinutes(5) : clientRequestTimeout;
        ioThreads = ioThreads == null ? Math.max(1, Runtime.getRuntime().availableProcessors() / 2) : ioThreads;
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads: must be at least 1");
        }
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        requestHeaderTimeout = positive("requestHeaderTimeout", requestHeaderTimeout, Duration.ofSeconds(10));
        requestIdleTimeout = positive("requestIdleTimeout", requestIdleTimeout, Duration.ofSeconds(30));
        maxConnections = atLeastOne("maxConnections", maxConnections, 1000);
        maxSessions = atLeastOne("maxSessions", maxSessions, 10_000);
        maxStreamsPerSession = atLeastOne("maxStreamsPerSession", maxStreamsPerSession, 4);
        authFailuresPerMinute = atLeastOne("authFailuresPerMinute", authFailuresPerMinute, 20);
        maxListeners = atLeastOne("maxListeners", maxListeners, 1000);
        maxListenersPerPrincipal = atLeastOne("maxListenersPerPrincipal", maxListenersPerPrincipal, 8);
        listenKeepAlive = positive("listenKeepAlive", listenKeepAlive, Duration.ofSeconds(15));
        tls = tls == null ? null : tls.forListener(true);
        stateKeys = stateKeys == null ? List.of() : List.copyOf(stateKeys);
        for (int i = 0; i < stateKeys.size(); i++) {
            if (decodedLength(stateKeys.get(i)) != STATE_KEY_BYTES) {
                throw new IllegalArgumentException("stateKeys[" + i + "]: must be " + STATE_KEY_BYTES + " bytes in base64"
                        + " (e.g. the output of: openssl rand -base64 32)");
            }
        }
        maxPendingInputs = atLeastOne("maxPendingInputs", maxPendingInputs, 1000);
        maxPendingInputsPerClient = atLeastOne("maxPendingInputsPerClient", maxPendingInputsPerClient, 16);
    }

    private static int decodedLength(String base64) {
        try {
            return base64 == null ? -1 : Base64.getDecoder().decode(base64.strip()).length;
        } catch (IllegalArgumentException notBase64) {
            return -1;
        }
    }

    private static Duration positive(String key, Duration value, Duration fallback) {
        if (value != null && (value.isZero() || value.isNegative())) {
            throw new IllegalArgumentException(key + ": must be longer than 0");
        }
        return value == null ? fallback : value;
    }

    private static int atLeastOne(String key, Integer value, int fallback) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(key + ": must be at least 1");
        }
        return value == null ? fallback : value;
    }

    /** The listener's TLS settings; empty for plain HTTP. */
    public Optional<TlsConfig> listenerTls() {
        return Optional.ofNullable(tls);
    }

    /** The same settings on another address; tests use it to listen on a free port. */
    public ServerConfig listeningOn(String newHost, int newPort) {
        return new ServerConfig(newHost, newPort, allowedOrigins, shutdownTimeout, dataDirectory, sessionIdleTimeout,
                sseReplayEvents, maxRequestBytes, stateless, pageSize, clientRequestTimeout, ioThreads, allowedHosts,
                requestHeaderTimeout, requestIdleTimeout, maxConnections, maxSessions, maxStreamsPerSession, authFailuresPerMinute,
                maxListeners, maxListenersPerPrincipal, listenKeepAlive, tls, stateKeys, maxPendingInputs, maxPendingInputsPerClient);
    }
}
