package io.mcpgw.spi.transport;

import java.io.IOException;

/**
 * A message that provably did not reach the backend: the connection was gone before any of it was handed over, or
 * the backend refused it unread (e.g. it no longer knows the session). The gateway sends such a request again on
 * another connection; a plain {@link IOException} from {@link BackendConnection#send} means it may have arrived,
 * and the request fails instead, so that nothing runs twice.
 */
public class NotDeliveredException extends IOException {

    public NotDeliveredException(String message) {
        super(message);
    }

    public NotDeliveredException(String message, Throwable cause) {
        super(message, cause);
    }
}
