package io.mcpgw.spi.identity;

import java.util.Objects;
import java.util.Optional;

/** The outcome of {@link IdentityResolver#resolve}. */
public sealed interface IdentityResult {

    /** The caller is known. */
    record Authenticated(Identity identity) implements IdentityResult {
        public Authenticated {
            Objects.requireNonNull(identity, "identity");
        }
    }

    /**
     * The caller is not let in.
     *
     * @param status the HTTP status to answer with: 401 (no or bad credentials) or 403 (known but not allowed)
     * @param message a short reason the client may see; never echo a credential in it
     * @param wwwAuthenticate the {@code WWW-Authenticate} header value to send with a 401, if any
     */
    record Rejected(int status, String message, Optional<String> wwwAuthenticate) implements IdentityResult {
        public Rejected {
            if (status != 401 && status != 403) {
                throw new IllegalArgumentException("status must be 401 or 403, was " + status);
            }
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(wwwAuthenticate, "wwwAuthenticate");
        }
    }
}
