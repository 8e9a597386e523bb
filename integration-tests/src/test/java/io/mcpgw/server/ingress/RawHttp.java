package io.mcpgw.server.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Byte-exact HTTP/1.x over a {@link Socket} to 127.0.0.1, for requests no well-behaved client would send: the bytes go
 * out as given, and the answer is read until the server closes the connection or a {@code Content-Length} body is in.
 */
final class RawHttp {

    private static final int READ_TIMEOUT_MILLIS = 10_000;

    /**
     * What came back: the status line's code (0 when the connection closed without one), the headers, the body, and
     * whether the server ended the connection (before its answer was whole; after it, for {@link #exchangeToEnd}).
     */
    record Answer(int status, String head, String body, boolean closed) {
        JsonNode json() throws IOException {
            return JsonRpc.MAPPER.readTree(body);
        }

        int errorCode() throws IOException {
            return json().path("error").path("code").asInt();
        }

        String errorMessage() throws IOException {
            return json().path("error").path("message").asText();
        }

        Optional<String> header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return Optional.of(line.substring(colon + 1).trim());
                }
            }
            return Optional.empty();
        }
    }

    private RawHttp() {}

    /** Sends {@code request} (its text as ISO-8859-1, so {@code \u00ff} is the byte 0xFF) and reads the answer. */
    static Answer exchange(URI base, String request) throws IOException {
        return exchange(base, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Answer exchange(URI base, byte[] request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        }
    }

    /**
     * Sends {@code request}, reads the answer, then waits for the server to end the connection (as it must when
     * where a next request would begin is unknown); {@link Answer#closed} says whether it did, with an orderly close (not a
     * reset), within the read timeout.
     */
    static Answer exchangeToEnd(URI base, String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            Answer answer = read(socket.getInputStream());
            boolean ended;
            try {
                ended = answer.closed() || socket.getInputStream().read() < 0;
            } catch (SocketTimeoutException e) {
                ended = false;
            }
            return new Answer(answer.status(), answer.head(), answer.body(), ended);
        }
    }

    /** A POST of {@code body} to {@code path} with {@code headers} (each a full line without CRLF) and a Content-Length. */
    static String post(String path, String body, String... headers) {
        StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("Content-Length: ").append(body.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n\r\n")
                .append(body).toString();
    }

    /** A POST of a JSON-RPC body to {@code /mcp}, with the headers Streamable HTTP asks for and {@code extra}. */
    static String postJson(String body, String... extra) {
        String[] headers = new String[extra.length + 2];
        headers[0] = "Content-Type: application/json";
        headers[1] = "Accept: application/json, text/event-stream";
        System.arraycopy(extra, 0, headers, 2, extra.length);
        return post("/mcp", body, headers);
    }

    /** Reads one answer: its head, then a Content-Length body, a chunked body, or everything until the server closes. */
    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        boolean closed = false;
        try {
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    closed = true;
                    break;
                }
                head.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + READ_TIMEOUT_MILLIS + " ms; got: " + head.toString(StandardCharsets.ISO_8859_1), e);
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        int status = headText.startsWith("HTTP/") && headText.length() >= 12 ? Integer.parseInt(headText.substring(9, 12)) : 0;
        if (closed) {
            return new Answer(status, headText, "", true);
        }
        String lowerHead = headText.toLowerCase(Locale.ROOT);
        byte[] body;
        int length = lowerHead.indexOf("\r\ncontent-length:");
        if (length >= 0) {
            int end = lowerHead.indexOf("\r\n", length + 2);
            body = in.readNBytes(Integer.parseInt(headText.substring(length + "\r\ncontent-length:".length(), end).trim()));
        } else if (lowerHead.contains("\r\ntransfer-encoding: chunked")) {
            body = dechunk(in);
        } else {
            body = in.readAllBytes();
        }
        return new Answer(status, headText, new String(body, StandardCharsets.UTF_8), false);
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            int size = line.isEmpty() ? 0 : Integer.parseInt(line.toString().split(";")[0].trim(), 16);
            if (size == 0) {
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            in.readNBytes(2);
        }
    }
}
