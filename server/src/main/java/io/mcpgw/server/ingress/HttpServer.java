package io.mcpgw.server.ingress;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.config.ServerConfig;
import io.mcpgw.server.io.IoThreads;
import io.mcpgw.server.lifecycle.ManagedService;
import io.mcpgw.server.session.Listeners;
import io.mcpgw.server.session.SessionStore;
import io.mcpgw.server.tls.TlsContext;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.PathHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.xnio.Options;

/**
 * The client-facing HTTP listener on the gateway's {@link IoThreads}. I/O threads never block; work that may is
 * dispatched to the worker, whose executor makes a virtual thread per task. The buffer pool keeps no per-thread caches: every
 * virtual thread is new, so such a cache would only strand buffers and force fresh direct allocations.
 */
@Singleton
public final class HttpServer implements ManagedService {

    private static final Logger LOG = LogManager.getLogger(HttpServer.class);
    private static final int BUFFER_SIZE = 16 * 1024;
    private static final int POOLED_BUFFERS = 1024;
    private static final long QUIET_POLL_MILLIS = 20;

    private final ServerConfig config;
    private final InstallPaths paths;
    private final Duration fileCheckInterval;
    private final HealthHandlers health;
    private final McpHttpHandler mcp;
    private final WebSocketHandler webSocket;
    private final LegacySseHandler legacySse;
    private final DuplexSessions duplexSessions;
    private final StreamableSessions streamableSessions;
    private final SessionStore sessions;
    private final Listeners listeners;
    private Undertow undertow;
    private ShutdownGate gate;
    private final IoThreads io;
    private Optional<TlsContext> tls = Optional.empty();
    private volatile InetSocketAddress address;

    @Inject
    HttpServer(McpgwConfig config, HealthHandlers health, McpHttpHandler mcp, WebSocketHandler webSocket,
            LegacySseHandler legacySse, DuplexSessions duplexSessions, StreamableSessions streamableSessions, SessionStore sessions,
            Listeners listeners, IoThreads io, InstallPaths paths) {
        this.listeners = listeners;
        this.io = io;
        this.paths = paths;
        this.fileCheckInterval = config.reload().interval();
        this.webSocket = webSocket;
        this.legacySse = legacySse;
        this.duplexSessions = duplexSessions;
        this.streamableSessions = streamableSessions;
        this.sessions = sessions;
        this.config = config.server();
        this.health = health;
        this.mcp = mcp;
    }

    @Override
    public String name() {
        return "http listener";
    }

    @Override
    public void start() throws IOException {
        PathHandler routes = Handlers.path()
                .addExactPath("/healthz", health::live)
                .addExactPath("/readyz", health::ready)
                .addPrefixPath("/.well-known/oauth-protected-resource", health::protectedResource)
                .addExactPath("/mcp", mcp)
                .addExactPath("/ws", webSocket)
                .addExactPath("/sse", legacySse)
                .addExactPath("/message", legacySse)
                .addPrefixPath("/servers", this::byTransport)
                .addPrefixPath("/agents", this::byTransport);
        gate = new ShutdownGate(new RequestFraming(routes));
        Undertow.Builder builder = Undertow.builder()
                .setWorker(io.worker())
                .setByteBufferPool(new DefaultByteBufferPool(true, BUFFER_SIZE, POOLED_BUFFERS, 0));
        if (config.listenerTls().isPresent()) {
            tls = Optional.of(TlsContext.listener("the MCP listener", config.listenerTls().get(), paths, fileCheckInterval));
            tls.get().listen(builder, config.port(), config.host());
        } else {
            builder.addHttpListener(config.port(), config.host());
        }
        undertow = builder
                // a slow client holds a socket only so long: its headers, a pause in its body, a connection without a request
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(config.requestHeaderTimeout()))
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, millis(config.requestHeaderTimeout()))
                .setSocketOption(Options.READ_TIMEOUT, millis(config.requestIdleTimeout()))
                // past maxConnections the listener stops accepting until one closes (a queued one then gets its turn)
                .setSocketOption(Options.CONNECTION_HIGH_WATER, config.maxConnections())
                .setSocketOption(Options.CONNECTION_LOW_WATER, config.maxConnections())
                .setHandler(gate)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            tls.ifPresent(TlsContext::close);
            throw new IOException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        address = (InetSocketAddress) undertow.getListenerInfo().getFirst().getAddress();
        LOG.info("mcpgw listening on {}", baseUri());
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    /** {@code /servers/<id>/<endpoint>} and {@code /agents/<name>/<endpoint>}: the same transports as at the top level. */
    private void byTransport(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        HttpHandler handler = path.endsWith("/ws") ? webSocket
                : path.endsWith("/sse") || path.endsWith("/message") ? legacySse
                : mcp;
        handler.handleRequest(exchange);
    }

    /** The listener's base URI, e.g. {@code http://127.0.0.1:8080} ({@code https} with TLS); with port 0, the port picked. */
    public URI baseUri() {
        InetSocketAddress bound = address;
        if (bound == null) {
            throw new IllegalStateException("not listening");
        }
        return uriOf(bound, tls.isPresent());
    }

    /** {@code http://host:port} (or {@code https}) of a bound address, an IPv6 host in brackets. */
    public static URI uriOf(InetSocketAddress bound, boolean secure) {
        String host = bound.getAddress().getHostAddress();
        return URI.create((secure ? "https://" : "http://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + bound.getPort());
    }

    /**
     * Stops gracefully: new requests get 503 (with a JSON-RPC error) at once, streams that only wait for news end (GET
     * streams, and {@code subscriptions/listen} streams with their response), and the calls in flight
     * (on every transport) have until {@code shutdownTimeout} to be answered; then every session ends.
     */
    @Override
    public void stop() throws InterruptedException {
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        gate.close();
        streamableSessions.closeStandaloneStreams();
        listeners.endAll();
        while (sessions.all().stream().anyMatch(session -> session.inFlight() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(QUIET_POLL_MILLIS);
        }
        duplexSessions.endAll();
        if (!gate.awaitDrained(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())))) {
            LOG.warn("Requests still in flight after {}; they are cut short", config.shutdownTimeout());
        }
        sessions.endAll();
        undertow.stop();
        tls.ifPresent(TlsContext::close);
    }
}
