package io.mcpgw.server.ingress;

import io.mcpgw.server.jsonrpc.ErrorCode;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.Protocols;

/**
 * Refuses requests framed in a way the gateway does not read, before anything reads them: HTTP/0.9 (505), and a
 * {@code Transfer-Encoding} other than a single {@code chunked} (501, as RFC 9112 asks for a coding not understood;
 * Undertow would read any other as chunked). The connection closes after the answer, since where the next request
 * begins is not known. (Undertow itself answers 400 to a request line without a version and to a request with
 * both {@code Transfer-Encoding} and {@code Content-Length}.) A chunked body is read by {@link StrictChunkedConduit},
 * so that broken chunk framing is answered 400 rather than cutting the connection.
 */
final class RequestFraming implements HttpHandler {

    private final HttpHandler next;

    RequestFraming(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.getProtocol().equals(Protocols.HTTP_0_9)) {
            exchange.setPersistent(false);
            HttpExchanges.fail(exchange, 505, ErrorCode.INVALID_REQUEST, "HTTP/1.1 is required");
            return;
        }
        HeaderValues codings = exchange.getRequestHeaders().get(Headers.TRANSFER_ENCODING);
        if (codings != null && (codings.size() != 1 || !codings.getFirst().trim().equalsIgnoreCase("chunked"))) {
            exchange.setPersistent(false);
            HttpExchanges.fail(exchange, 501, ErrorCode.INVALID_REQUEST, "Transfer-Encoding must be chunked (or absent)");
            return;
        }
        if (codings != null) {
            StrictChunkedConduit.install(exchange);
        }
        next.handleRequest(exchange);
    }
}
