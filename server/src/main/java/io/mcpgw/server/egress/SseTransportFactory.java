package io.mcpgw.server.egress;

import com.google.inject.Inject;
import io.mcpgw.server.io.IoThreads;
import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.BackendTransportFactory;

/** {@code transport: sse}: a remote backend that speaks only the 2024-11-05 HTTP+SSE transport; {@code url} is its SSE endpoint. */
public final class SseTransportFactory implements BackendTransportFactory {

    private final IoThreads io;

    @Inject
    SseTransportFactory(IoThreads io) {
        this.io = io;
    }

    @Override
    public String name() {
        return "sse";
    }

    @Override
    public BackendTransport create(ExtensionContext context) {
        return new HttpTransport(io, context.config().bind(HttpSettings.class), SseConnection::open);
    }
}
