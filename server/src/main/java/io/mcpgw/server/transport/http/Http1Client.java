package io.mcpgw.server.transport.http;

import io.mcpgw.server.io.IoThreads;
import io.mcpgw.server.tls.TlsContext;
import io.mcpgw.spi.transport.NotDeliveredException;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.xnio.ChannelListener;
import org.xnio.IoFuture;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;
import org.xnio.ssl.SslConnection;

/**
 * A non-blocking HTTP/1.1 client for one origin on the gateway's {@link IoThreads}. A request is written and its
 * response read on one I/O thread, the caller's own when it runs on one; each thread keeps its own idle
 * connections, so none is shared between threads and none needs a lock. A response whose body has a known end is
 * read whole before it is handed over; an event stream is handed over at its head, its body readable as it comes
 * (from a virtual thread). Connections are kept alive; one idle longer than {@link #MAX_IDLE} is dropped rather
 * than risked, because a request is never retried (a tool call may have run).
 */
final class Http1Client implements Closeable {

    static final Duration MAX_IDLE = Duration.ofSeconds(2);
    private static final int MAX_LINE = 64 * 1024;
    private static final int READ_BUFFER = 16 * 1024;
    private static final String EVENT_STREAM = "text/event-stream";

    private final IoThreads io;
    private final URI origin;
    private final String host;
    private final int port;
    private final Optional<TlsContext> tls;
    private final String hostHeader;
    private final Duration connectTimeout;
    private final Map<XnioIoThread, ThreadState> threads = new ConcurrentHashMap<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private volatile UndertowXnioSsl ssl;
    private volatile boolean closed;

    /** @param tls for an {@code https} origin, how to speak TLS to it */
    Http1Client(IoThreads io, URI origin, Duration connectTimeout, Optional<TlsContext> tls) {
        if (tls.isPresent() != "https".equals(origin.getScheme())) {
            throw new IllegalArgumentException("TLS settings go with an https origin, and only with one: " + origin);
        }
        this.io = io;
        this.origin = origin;
        this.tls = tls;
        this.host = origin.getHost();
        this.port = origin.getPort() != -1 ? origin.getPort() : tls.isPresent() ? 443 : 80;
        this.hostHeader = origin.getPort() == -1 ? host : host + ":" + port;
        this.connectTimeout = connectTimeout;
    }

    /** Sends a request; the future holds the response, or fails ({@link NotDeliveredException}: it never left). */
    CompletableFuture<Response> send(String method, String target, Map<String, String> headers, byte[] body) {
        return send(method, target, headers, body, Duration.ZERO);
    }

    /** As {@link #send(String, String, Map, byte[])}, failing when the response head takes longer than {@code headTimeout} (zero: no limit). */
    CompletableFuture<Response> send(String method, String target, Map<String, String> headers, byte[] body, Duration headTimeout) {
        StringBuilder head = new StringBuilder(256)
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        Exchange exchange = new Exchange(method, head.toString().getBytes(StandardCharsets.ISO_8859_1),
                body == null ? new byte[0] : body, headTimeout);
        XnioIoThread thread = io.thread();
        if (thread == XnioIoThread.currentThread()) {
            start(thread, exchange);
        } else {
            thread.execute(() -> start(thread, exchange));
        }
        return exchange.response;
    }

    private void start(XnioIoThread thread, Exchange exchange) {
        if (closed) {
            exchange.response.completeExceptionally(new NotDeliveredException("the client of " + hostHeader + " is closed"));
            return;
        }
        ThreadState state = threads.computeIfAbsent(thread, ignored -> new ThreadState());
        long now = System.nanoTime();
        Connection idle;
        while ((idle = state.idle.pollFirst()) != null) {
            if (now - idle.idleSince < MAX_IDLE.toNanos() && idle.channel.isOpen()) {
                idle.begin(exchange);
                return;
            }
            idle.close();
        }
        connect(thread, state, exchange);
    }

    private void connect(XnioIoThread thread, ThreadState state, Exchange exchange) {
        IoFuture<StreamConnection> connecting = thread.openStreamConnection(new InetSocketAddress(host, port), null,
                OptionMap.create(Options.TCP_NODELAY, true));
        XnioExecutor.Key deadline = thread.executeAfter(connecting::cancel, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        connecting.addNotifier(new IoFuture.HandlingNotifier<StreamConnection, Void>() {
            @Override
            public void handleDone(StreamConnection connected, Void ignored) {
                deadline.remove();
                try {
                    (tls.isPresent() ? new Connection(thread, state, secure(connected, tls.get()))
                            : new Connection(thread, state, connected, null)).begin(exchange);
                } catch (IOException e) {
                    closeQuietly(connected);
                    exchange.response.completeExceptionally(notConnected(e.getMessage(), e));
                }
            }

            @Override
            public void handleFailed(IOException failure, Void ignored) {
                deadline.remove();
                exchange.response.completeExceptionally(notConnected(failure.getMessage(), failure));
            }

            @Override
            public void handleCancelled(Void ignored) {
                exchange.response.completeExceptionally(notConnected("no connection within " + connectTimeout.toMillis() + " ms", null));
            }
        }, null);
    }

    /**
     * Waits for what a send promises, on a thread that may block, failing with the I/O error that ended it; a response
     * that comes after the wait was interrupted is closed.
     */
    static <T> T await(CompletableFuture<T> pending) throws IOException {
        try {
            return pending.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.thenAccept(late -> {
                if (late instanceof Closeable closeable) {
                    closeQuietly(closeable);
                }
            });
            throw new InterruptedIOException("interrupted while waiting for a response");
        }
    }

    private NotDeliveredException notConnected(String reason, Throwable cause) {
        return new NotDeliveredException("cannot connect to " + hostHeader + ": " + reason, cause);
    }

    /** TLS over a connected socket, the server's name sent (SNI) and checked against its certificate. */
    private SslConnection secure(StreamConnection connected, TlsContext settings) throws IOException {
        UndertowXnioSsl context = ssl;
        if (context == null) {
            context = new UndertowXnioSsl(io.worker().getXnio(), OptionMap.EMPTY, settings.sslContext());
            ssl = context;
        }
        SslConnection secured = context.wrapExistingConnection(connected, OptionMap.EMPTY, origin);
        SSLEngine engine = UndertowXnioSsl.getSslEngine(secured);
        SSLParameters parameters = engine.getSSLParameters();
        settings.restrict(parameters);
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isAddressLiteral(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        engine.setSSLParameters(parameters);
        secured.startHandshake();
        return secured;
    }

    /** An IP address rather than a name: SNI carries names only. */
    private static boolean isAddressLiteral(String name) {
        return name.startsWith("[") || name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    @Override
    public void close() {
        closed = true;
        for (Connection connection : open) {
            connection.thread.execute(connection::close);
        }
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
    }

    /** What one I/O thread keeps for this origin; touched by that thread only. */
    private static final class ThreadState {
        final ArrayDeque<Connection> idle = new ArrayDeque<>();
        final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER);
    }

    /** One request in flight and what has been read of its response. */
    private static final class Exchange {
        final String method;
        final byte[] head;
        final byte[] body;
        final Duration headTimeout;
        final CompletableFuture<Response> response = new CompletableFuture<>();

        Exchange(String method, byte[] head, byte[] body, Duration headTimeout) {
            this.method = method;
            this.head = head;
            this.body = body;
            this.headTimeout = headTimeout;
        }
    }

    private enum Framing { LENGTH, CHUNKED, UNTIL_CLOSE }

    private enum Phase { STATUS, HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS }

    /** One kept-alive connection, owned by its I/O thread. */
    private final class Connection implements ChannelListener<ConduitStreamSourceChannel> {
        final XnioIoThread thread;
        final ThreadState state;
        final StreamConnection channel;
        /** Its TLS engine; null over plain HTTP. */
        private final SSLEngine engine;
        /** Whether a response has come on it: one that ends before any was never a working connection. */
        private boolean answered;
        long idleSince;
        private Exchange current;
        private XnioExecutor.Key headDeadline;
        private Phase phase;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        private int status;
        private String statusProtocol;
        private Map<String, String> headers;
        private Framing framing;
        private long remaining;
        private boolean keepAlive;
        private ByteArrayOutputStream buffered;
        private StreamedBody streamed;

        Connection(XnioIoThread thread, ThreadState state, SslConnection secured) {
            this(thread, state, secured, UndertowXnioSsl.getSslEngine(secured));
        }

        Connection(XnioIoThread thread, ThreadState state, StreamConnection channel, SSLEngine engine) {
            this.thread = thread;
            this.state = state;
            this.channel = channel;
            this.engine = engine;
            open.add(this);
            channel.getSourceChannel().setReadListener(this);
            channel.getSourceChannel().resumeReads();
        }

        void begin(Exchange exchange) {
            current = exchange;
            phase = Phase.STATUS;
            line.reset();
            streamed = null;
            buffered = null;
            if (exchange.headTimeout.compareTo(Duration.ZERO) > 0) {
                headDeadline = thread.executeAfter(() -> {
                    if (current == exchange && phase.ordinal() <= Phase.HEADERS.ordinal()) {
                        fail(new SocketTimeoutException("no response from " + hostHeader + " within " + exchange.headTimeout.toMillis() + " ms"));
                    }
                }, exchange.headTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            ConduitStreamSinkChannel sink = channel.getSinkChannel();
            ByteBuffer[] out = {ByteBuffer.wrap(exchange.head), ByteBuffer.wrap(exchange.body)};
            try {
                sink.write(out);
                if (out[1].hasRemaining() || !sink.flush()) {
                    sink.setWriteListener(writable -> {
                        try {
                            writable.write(out);
                            if (!out[1].hasRemaining() && writable.flush()) {
                                writable.suspendWrites();
                            }
                        } catch (IOException e) {
                            notWritten(exchange, e);
                        }
                    });
                    sink.resumeWrites();
                }
            } catch (IOException e) {
                notWritten(exchange, e);
            }
        }

        /** A request cut short is not one the server can act on: it waits for the rest, or drops it. */
        private void notWritten(Exchange exchange, IOException e) {
            if (current == exchange) {
                current = null;
                close();
                exchange.response.completeExceptionally(
                        new NotDeliveredException("the request to " + hostHeader + " could not be written: " + e.getMessage(), e));
            }
        }

        @Override
        public void handleEvent(ConduitStreamSourceChannel source) {
            ByteBuffer buffer = state.readBuffer;
            try {
                while (true) {
                    buffer.clear();
                    int read = source.read(buffer);
                    if (read == 0) {
                        return;
                    }
                    if (read == -1) {
                        ended(null);
                        return;
                    }
                    buffer.flip();
                    if (current == null) {
                        // Nothing was asked: the server has nothing to say, so this connection cannot be trusted.
                        close();
                        return;
                    }
                    parse(buffer);
                    if (buffer.hasRemaining()) {
                        close();
                        return;
                    }
                }
            } catch (IOException e) {
                ended(e);
            }
        }

        /** The server closed the connection, or reading from it failed. */
        private void ended(IOException error) {
            if (current != null && error == null && phase == Phase.BODY && framing == Framing.UNTIL_CLOSE) {
                finish(false);
            }
            if (current != null) {
                fail(error != null ? error : engine != null && !answered ? notSecured()
                        : new EOFException(phase.ordinal() <= Phase.HEADERS.ordinal() ? "connection closed before a response" : "response body ended early"));
            }
            close();
        }

        /** A TLS connection closed before its first response: the handshake failed, here or at the server. */
        private SSLException notSecured() {
            return new SSLException(tls.orElseThrow().refusal(engine)
                    .map(reason -> "TLS handshake failed: the backend's certificate is not trusted: " + reason)
                    .orElse("the TLS connection was closed before a response (the backend may refuse the gateway's"
                            + " client certificate, or the lack of one)"));
        }

        private void parse(ByteBuffer buffer) throws IOException {
            Exchange parsing = current;
            while (buffer.hasRemaining() && current == parsing) {
                switch (phase) {
                    case STATUS -> {
                        String text = readLine(buffer);
                        if (text != null) {
                            statusLine(text);
                        }
                    }
                    case HEADERS -> {
                        String text = readLine(buffer);
                        if (text != null) {
                            header(text, buffer);
                        }
                    }
                    case BODY -> {
                        int take = framing == Framing.UNTIL_CLOSE ? buffer.remaining() : (int) Math.min(remaining, buffer.remaining());
                        body(buffer, take);
                        remaining -= take;
                        if (framing == Framing.LENGTH && remaining == 0) {
                            finish(!buffer.hasRemaining());
                        }
                    }
                    case CHUNK_SIZE -> {
                        String text = readLine(buffer);
                        if (text != null) {
                            int extension = text.indexOf(';');
                            try {
                                remaining = Long.parseLong((extension >= 0 ? text.substring(0, extension) : text).trim(), 16);
                            } catch (NumberFormatException e) {
                                throw new IOException("bad chunk size: " + text);
                            }
                            phase = remaining == 0 ? Phase.TRAILERS : Phase.CHUNK_DATA;
                        }
                    }
                    case CHUNK_DATA -> {
                        int take = (int) Math.min(remaining, buffer.remaining());
                        body(buffer, take);
                        remaining -= take;
                        if (remaining == 0) {
                            phase = Phase.CHUNK_END;
                        }
                    }
                    case CHUNK_END -> {
                        if (readLine(buffer) != null) {
                            phase = Phase.CHUNK_SIZE;
                        }
                    }
                    case TRAILERS -> {
                        String text = readLine(buffer);
                        if (text != null && text.isEmpty()) {
                            finish(!buffer.hasRemaining());
                        }
                    }
                }
            }
        }

        private void statusLine(String text) throws IOException {
            String[] parts = text.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.1 response: " + text);
            }
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP/1.1 response: " + text);
            }
            statusProtocol = parts[0];
            answered = true;
            headers = new HashMap<>();
            phase = Phase.HEADERS;
        }

        private void header(String text, ByteBuffer buffer) {
            if (!text.isEmpty()) {
                int colon = text.indexOf(':');
                if (colon > 0) {
                    headers.merge(text.substring(0, colon).trim().toLowerCase(Locale.ROOT), text.substring(colon + 1).trim(),
                            (first, next) -> first + ", " + next);
                }
                return;
            }
            if (status / 100 == 1) {
                phase = Phase.STATUS;
                return;
            }
            if (headDeadline != null) {
                headDeadline.remove();
                headDeadline = null;
            }
            keepAlive = !"close".equalsIgnoreCase(headers.get("connection")) && statusProtocol.equals("HTTP/1.1");
            if (current.method.equals("HEAD") || status == 204 || status == 304) {
                framing = Framing.LENGTH;
                remaining = 0;
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                framing = Framing.CHUNKED;
            } else if (headers.containsKey("content-length")) {
                framing = Framing.LENGTH;
                remaining = Long.parseLong(headers.get("content-length"));
            } else {
                framing = Framing.UNTIL_CLOSE;
                keepAlive = false;
            }
            String contentType = headers.get("content-type");
            if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM)) {
                streamed = new StreamedBody(() -> {
                    try {
                        thread.execute(this::abandon);
                    } catch (RejectedExecutionException stopping) {
                        // the I/O thread is stopping, and its channels, this one among them, close with it
                    }
                });
                buffered = null;
                current.response.complete(new Response(status, headers, streamed));
            } else {
                streamed = null;
                buffered = new ByteArrayOutputStream(framing == Framing.LENGTH ? (int) Math.min(remaining, 1 << 20) : 1024);
            }
            phase = framing == Framing.CHUNKED ? Phase.CHUNK_SIZE : Phase.BODY;
            if (framing == Framing.LENGTH && remaining == 0) {
                finish(!buffer.hasRemaining());
            }
        }

        private void body(ByteBuffer buffer, int take) {
            byte[] bytes = new byte[take];
            buffer.get(bytes);
            if (streamed != null) {
                streamed.offer(bytes);
            } else {
                buffered.writeBytes(bytes);
            }
        }

        /**
         * The response is complete: the connection is free again before anyone learns of it, so they can use it,
         * unless the server sent more than the response ({@code clean} false), which makes it untrustworthy.
         */
        private void finish(boolean clean) {
            Exchange done = current;
            current = null;
            if (keepAlive && clean && !closed) {
                idleSince = System.nanoTime();
                state.idle.addFirst(this);
            } else {
                close();
            }
            if (streamed != null) {
                streamed.end();
            } else {
                done.response.complete(new Response(status, headers, buffered.toByteArray()));
            }
        }

        private void fail(IOException error) {
            Exchange failed = current;
            current = null;
            if (failed != null) {
                if (!failed.response.completeExceptionally(error) && streamed != null) {
                    streamed.fail(error);
                }
            }
            close();
        }

        /** The reader of a streamed body stopped before its end: what is left of it is not worth reading. */
        private void abandon() {
            if (current != null) {
                current = null;
                close();
            }
        }

        void close() {
            if (headDeadline != null) {
                headDeadline.remove();
                headDeadline = null;
            }
            open.remove(this);
            state.idle.remove(this);
            closeQuietly(channel);
        }

        /** A CRLF- (or LF-) terminated line in ISO-8859-1, or null while it is incomplete. */
        private String readLine(ByteBuffer buffer) throws IOException {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    line.reset();
                    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
                }
                if (line.size() >= MAX_LINE) {
                    throw new IOException("response line longer than " + MAX_LINE + " bytes");
                }
                line.write(b);
            }
            return null;
        }
    }

    /** One response; close it once done with a streamed body. */
    static final class Response implements Closeable {
        private final int status;
        private final Map<String, String> headers;
        private final InputStream body;

        private Response(int status, Map<String, String> headers, byte[] body) {
            this(status, headers, new ByteArrayInputStream(body));
        }

        private Response(int status, Map<String, String> headers, InputStream body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        int status() {
            return status;
        }

        /** A header by case-insensitive name. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The body; a streamed one blocks the reader until more has come. */
        InputStream body() {
            return body;
        }

        byte[] readBody() throws IOException {
            return body.readAllBytes();
        }

        @Override
        public void close() {
            closeQuietly(body);
        }
    }
}
