package io.mcpgw.server.tls;

import io.mcpgw.server.ingress.McpClientITSupport;
import io.mcpgw.server.ingress.WebSocketClientTransport;
import io.mcpgw.testkit.TestingGateway;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** Clients of a gateway over TLS, for the TLS ITs: the official SDK on each transport, raw sockets for what it hides. */
final class TlsITSupport {

    private static final int TIMEOUT_MILLIS = 10_000;

    private TlsITSupport() {}

    /** An initialized SDK client of {@code endpoint} ({@code /ws}, {@code /sse}, else Streamable HTTP) over {@code tls}. */
    @SuppressWarnings("deprecation")
    static McpSyncClient client(TestingGateway gateway, String endpoint, SSLContext tls) {
        String base = gateway.baseUri().toString();
        HttpClient.Builder http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5));
        McpClientTransport transport = endpoint.endsWith("/ws")
                ? new WebSocketClientTransport(URI.create(base.replaceFirst("^https", "wss") + endpoint), http.build())
                : endpoint.endsWith("/sse") ? HttpClientSseClientTransport.builder(base).sseEndpoint(endpoint).clientBuilder(http).build()
                : HttpClientStreamableHttpTransport.builder(base).endpoint(endpoint).clientBuilder(http).build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30)).build();
        try {
            client.initialize();
        } catch (RuntimeException e) {
            client.closeGracefully();
            throw e;
        }
        return client;
    }

    /** A handshake with the listener at {@code uri}: the certificate it presents. */
    static X509Certificate presented(URI uri, SSLContext tls) throws IOException {
        try (SSLSocket socket = socket(uri, tls)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** A TLS socket to the listener at {@code uri}, not yet shaken hands. */
    static SSLSocket socket(URI uri, SSLContext tls) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return socket;
    }

    /** Sends {@code request} as written (any {@code Host}) over TLS and answers the response's status line. */
    static String statusLine(URI uri, SSLContext tls, String request) throws IOException {
        try (SSLSocket socket = socket(uri, tls)) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                line.append((char) b);
            }
            return line.toString().trim();
        }
    }

    /** A POST of {@code initialize} to {@code /mcp} with the given {@code Host} and {@code Origin}. */
    static String initialize(String host, String origin) {
        String body = McpClientITSupport.INITIALIZE.formatted("2025-11-25");
        return "POST /mcp HTTP/1.1\r\nHost: " + host + "\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n")
                + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\nConnection: close\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }
}
