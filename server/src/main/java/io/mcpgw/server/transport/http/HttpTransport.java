package io.mcpgw.server.transport.http;

import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.io.IoThreads;
import io.mcpgw.server.tls.TlsContext;
import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;

/**
 * One HTTP client per backend, its connections kept alive and shared by every MCP session to it; for an
 * {@code https} URL with the backend's TLS, its client certificate read again when its files change.
 */
final class HttpTransport implements BackendTransport {

    /** How one MCP session over HTTP is opened: Streamable HTTP, or the 2024-11-05 SSE transport. */
    interface Opener {
        BackendConnection open(Http1Client client, HttpSettings settings, ConnectionRequest request, InboundHandler inbound) throws IOException;
    }

    private final HttpSettings settings;
    private final Opener opener;
    private final Http1Client client;
    private final Optional<TlsContext> tls;

    /** @param fileCheckInterval how often the TLS files are looked at */
    HttpTransport(IoThreads io, HttpSettings settings, Opener opener, InstallPaths paths, Duration fileCheckInterval) {
        this.settings = settings;
        this.opener = opener;
        try {
            this.tls = settings.secure()
                    ? Optional.of(TlsContext.backend("the backend at " + settings.url(), settings.backendTls(), paths, fileCheckInterval))
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("tls: " + e.getMessage(), e);
        }
        this.client = new Http1Client(io, settings.url(), settings.connectTimeout(), tls);
    }

    @Override
    public BackendConnection open(ConnectionRequest request, InboundHandler inbound) throws IOException {
        return opener.open(client, settings, request, inbound);
    }

    @Override
    public void close() {
        client.close();
        tls.ifPresent(TlsContext::close);
    }
}
