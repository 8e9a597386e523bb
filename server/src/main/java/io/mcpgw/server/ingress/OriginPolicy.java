package io.mcpgw.server.ingress;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.McpgwConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Defends against DNS rebinding: a browser {@code Origin} must be allowed (patterns like {@code http://localhost:*}),
 * and on a loopback listener the {@code Host} must name loopback too.
 */
@Singleton
final class OriginPolicy {

    private final List<String> allowedOrigins;
    private final boolean loopbackOnly;

    @Inject
    OriginPolicy(McpgwConfig config) {
        this.allowedOrigins = config.server().allowedOrigins().stream().map(origin -> origin.toLowerCase(Locale.ROOT)).toList();
        this.loopbackOnly = isLoopback(config.server().host());
    }

    /** Why the request is refused, if it is. */
    Optional<String> check(String origin, String host) {
        if (origin != null && !originAllowed(origin.toLowerCase(Locale.ROOT))) {
            return Optional.of("Origin " + origin + " is not allowed (server.allowedOrigins)");
        }
        if (loopbackOnly && host != null && !isLoopbackName(hostName(host))) {
            return Optional.of("Host " + host + " is not allowed on a loopback listener");
        }
        return Optional.empty();
    }

    private boolean originAllowed(String origin) {
        for (String allowed : allowedOrigins) {
            if (allowed.equals("*") || allowed.equals(origin)) {
                return true;
            }
            if (allowed.endsWith(":*")) {
                String base = allowed.substring(0, allowed.length() - 2);
                String port = origin.startsWith(base + ":") ? origin.substring(base.length() + 1) : null;
                if (origin.equals(base) || (port != null && !port.isEmpty() && port.chars().allMatch(Character::isDigit))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String hostName(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(1, end) : host;
        }
        int colon = host.lastIndexOf(':');
        return colon > 0 && host.indexOf(':') == colon ? host.substring(0, colon) : host;
    }

    private static boolean isLoopbackName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals("localhost") || lower.startsWith("127.") || lower.equals("::1");
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
