package io.mcpgw.server.egress;

import io.mcpgw.spi.transport.NotDeliveredException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small blocking HTTP/1.1 client for one origin, run on the caller's (virtual) thread: no hand-offs between
 * threads, which is where a general-purpose client spends most of a short request's CPU. Connections are kept
 * alive and reused; one idle longer than {@link #MAX_IDLE} is dropped rather than risked, because a request is
 * never retried (a tool call may have run).
 */
final class Http1Client implements Closeable {

    static final Duration MAX_IDLE = Duration.ofSeconds(2);
    private static final int MAX_LINE = 64 * 1024;

    private final String host;
    private final int port;
    private final boolean tls;
    private final String hostHeader;
    private final Duration connectTimeout;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    Http1Client(URI origin, Duration connectTimeout) {
        this.tls = "https".equals(origin.getScheme());
        this.host = origin.getHost();
        this.port = origin.getPort() != -1 ? origin.getPort() : tls ? 443 : 80;
        this.hostHeader = origin.getPort() == -1 ? host : host + ":" + port;
        this.connectTimeout = connectTimeout;
    }

    /**
     * Sends a request and reads the response head. The caller reads the body and closes the response, which
     * returns the connection to the pool when the body was read to its end.
     */
    Response send(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        return send(method, target, headers, body, Duration.ZERO);
    }

    /** As {@link #send(String, String, Map, byte[])}, failing when the response head takes longer than {@code headTimeout} (zero: no limit). */
    Response send(String method, String target, Map<String, String> headers, byte[] body, Duration headTimeout) throws IOException {
        Connection connection;
        try {
            connection = checkout();
        } catch (IOException e) {
            throw new NotDeliveredException("cannot connect to " + hostHeader + ": " + e.getMessage(), e);
        }
        try {
            StringBuilder head = new StringBuilder(256)
                    .append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            try {
                connection.out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    connection.out.write(body);
                }
                connection.out.flush();
            } catch (IOException e) {
                // A request cut short is not one the server can act on: it waits for the rest, or drops it.
                throw new NotDeliveredException("the request to " + hostHeader + " could not be written: " + e.getMessage(), e);
            }
            connection.socket.setSoTimeout((int) headTimeout.toMillis());
            Response response = readResponse(connection, method);
            connection.socket.setSoTimeout(0);
            return response;
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private Response readResponse(Connection connection, String method) throws IOException {
        while (true) {
            String statusLine = readLine(connection.in);
            if (statusLine == null) {
                throw new EOFException("connection closed before a response");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.1 response: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            Map<String, String> headers = new HashMap<>();
            String line;
            while ((line = readLine(connection.in)) != null && !line.isEmpty()) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                            (first, next) -> first + ", " + next);
                }
            }
            if (status / 100 == 1) {
                continue;
            }
            boolean keepAlive = !"close".equalsIgnoreCase(headers.get("connection")) && parts[0].equals("HTTP/1.1");
            InputStream body;
            if (method.equals("HEAD") || status == 204 || status == 304) {
                body = new LimitedInputStream(connection.in, 0);
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = new ChunkedInputStream(connection.in);
            } else if (headers.containsKey("content-length")) {
                body = new LimitedInputStream(connection.in, Long.parseLong(headers.get("content-length")));
            } else {
                body = connection.in;
                keepAlive = false;
            }
            return new Response(status, headers, body, connection, keepAlive);
        }
    }

    private Connection checkout() throws IOException {
        if (closed) {
            throw new IOException("client closed");
        }
        long now = System.nanoTime();
        Connection connection;
        while ((connection = idle.pollFirst()) != null) {
            if (now - connection.idleSince < MAX_IDLE.toNanos() && !connection.socket.isClosed()) {
                return connection;
            }
            connection.close();
        }
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
        if (tls) {
            SSLSocket secure = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(socket, host, port, true);
            secure.startHandshake();
            socket = secure;
        }
        return new Connection(socket);
    }

    private void release(Connection connection) {
        if (closed) {
            connection.close();
            return;
        }
        connection.idleSince = System.nanoTime();
        idle.addFirst(connection);
    }

    @Override
    public void close() {
        closed = true;
        Connection connection;
        while ((connection = idle.pollFirst()) != null) {
            connection.close();
        }
    }

    /** One response; close it once done with the body. */
    final class Response implements Closeable {
        private final int status;
        private final Map<String, String> headers;
        private final InputStream body;
        private final Connection connection;
        private final boolean keepAlive;
        private boolean done;

        private Response(int status, Map<String, String> headers, InputStream body, Connection connection, boolean keepAlive) {
            this.status = status;
            this.headers = headers;
            this.body = body;
            this.connection = connection;
            this.keepAlive = keepAlive;
        }

        int status() {
            return status;
        }

        /** A header by case-insensitive name. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        InputStream body() {
            return body;
        }

        byte[] readBody() throws IOException {
            return body.readAllBytes();
        }

        /** Pools the connection when the body was read to its end, else closes it. */
        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            if (keepAlive && atEnd()) {
                release(connection);
            } else {
                connection.close();
            }
        }

        private boolean atEnd() {
            if (body instanceof LimitedInputStream limited) {
                return limited.remaining == 0;
            }
            return body instanceof ChunkedInputStream chunked && chunked.finished;
        }
    }

    private static final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        long idleSince;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing left to do with it
            }
        }
    }

    /** A CRLF- (or LF-) terminated line in ISO-8859-1, at most {@link #MAX_LINE} bytes; null at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != -1) {
            if (line.size() >= MAX_LINE) {
                throw new IOException("response line longer than " + MAX_LINE + " bytes");
            }
            if (b == '\n') {
                int length = line.size();
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, length > 0 && bytes[length - 1] == '\r' ? length - 1 : length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** A response body, read in blocks; the single-byte read is only there for completeness. */
    private abstract static class BodyInputStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
        }
    }

    /** The body of a response with Content-Length. */
    private static final class LimitedInputStream extends BodyInputStream {
        private final InputStream in;
        private long remaining;

        LimitedInputStream(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (read == -1) {
                throw new EOFException("response body ended " + remaining + " bytes early");
            }
            remaining -= read;
            return read;
        }
    }

    /** The body of a response with Transfer-Encoding: chunked. */
    private static final class ChunkedInputStream extends BodyInputStream {
        private final InputStream in;
        private long chunkRemaining;
        private boolean finished;

        ChunkedInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (finished) {
                return -1;
            }
            if (chunkRemaining == 0) {
                String size = readLine(in);
                if (size == null) {
                    throw new EOFException("chunked body ended without its last chunk");
                }
                int extension = size.indexOf(';');
                chunkRemaining = Long.parseLong((extension >= 0 ? size.substring(0, extension) : size).trim(), 16);
                if (chunkRemaining == 0) {
                    String trailer;
                    while ((trailer = readLine(in)) != null && !trailer.isEmpty()) {
                        // trailers are not used
                    }
                    finished = true;
                    return -1;
                }
            }
            int read = in.read(buffer, offset, (int) Math.min(length, chunkRemaining));
            if (read == -1) {
                throw new EOFException("chunked body ended inside a chunk");
            }
            chunkRemaining -= read;
            if (chunkRemaining == 0) {
                readLine(in);
            }
            return read;
        }
    }
}
