package io.mcpgw.server.ingress;

import java.io.IOException;

/** A request body whose chunked framing breaks RFC 9112's grammar; the message says how, without the client's bytes. */
final class MalformedChunkedBody extends IOException {

    MalformedChunkedBody(String reason) {
        super(reason);
    }
}
