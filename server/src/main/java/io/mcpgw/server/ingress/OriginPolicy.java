package io.mcpgw.server.ingress;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.jsonrpc.ClientText;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Defends against DNS rebinding: a browser {@code Origin} must be allowed (patterns like {@code http://localhost:*}),
 * and on a loopback listener the {@code Host} must be one of the exact names {@code 127.0.0.1}, {@code localhost},
 * {@code [::1]} or {@code server.allowedHosts}, with an optional port: {@code 127.0.0.1.evil.com} names no loopback.
 */
@Singleton
final class OriginPolicy {

    private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");
    private static final int MAX_PORT_DIGITS = 5;

    private final List<String> allowedOrigins;
    private final boolean loopbackOnly;
    private final Set<String> hostNames = new HashSet<>(LOOPBACK_NAMES);

    @Inject
    OriginPolicy(McpgwConfig config) {
        this.allowedOrigins = config.server().allowedOrigins().stream().map(origin -> origin.toLowerCase(Locale.ROOT)).toList();
        this.loopbackOnly = isLoopback(config.server().host());
        config.server().allowedHosts().forEach(name -> hostNames.add(name.toLowerCase(Locale.ROOT)));
    }

    /** Why the request is refused, if it is. */
    Optional<String> check(String origin, String host) {
        if (origin != null && !originAllowed(origin.toLowerCase(Locale.ROOT))) {
            return Optional.of("Origin " + ClientText.excerpt(origin) + " is not allowed (server.allowedOrigins)");
        }
        if (loopbackOnly && host != null && !hostAllowed(host.toLowerCase(Locale.ROOT))) {
            return Optional.of("Host " + ClientText.excerpt(host) + " is not allowed on a loopback listener (server.allowedHosts)");
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

    /** A {@code Host} is a name this listener answers to, then nothing or {@code :} and a port. */
    private boolean hostAllowed(String host) {
        int nameEnd = host.startsWith("[") ? host.indexOf(']') + 1 : host.indexOf(':');
        String name = nameEnd <= 0 ? host : host.substring(0, nameEnd);
        String rest = host.substring(name.length());
        return hostNames.contains(name) && (rest.isEmpty() || rest.charAt(0) == ':' && isPort(rest.substring(1)));
    }

    private static boolean isPort(String digits) {
        return !digits.isEmpty() && digits.length() <= MAX_PORT_DIGITS && digits.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
