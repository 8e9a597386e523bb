package io.mcpgw.server.session;

import java.security.SecureRandom;
import java.util.Base64;

/** Session ids: 256 random bits, base64url, so visible ASCII and unguessable. */
public final class SessionIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionIds() {}

    public static String next() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
