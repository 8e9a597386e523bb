package io.mcpgw.server.config;

import java.util.List;
import java.util.Optional;

/**
 * The {@code admin:} section: the operator's API, on a listener of its own. Without the section there is none.
 *
 * @param host the address it listens on; loopback unless deliberately opened
 * @param port the port; 0 picks a free one
 * @param tokens bearer tokens that may call it (e.g. {@code ${MCPGW_ADMIN_TOKEN}}); each at least
 *     {@value #MIN_TOKEN_LENGTH} characters, so a guessable one cannot be configured by mistake
 * @param tls HTTPS instead of HTTP ({@code certificate} and {@code privateKey}); none by default
 */
public record AdminConfig(String host, Integer port, List<String> tokens, TlsConfig tls) {

    public static final int MIN_TOKEN_LENGTH = 16;

    public AdminConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 9090 : port;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is not a port (0 to 65535; 0 picks a free one)");
        }
        if (tokens == null || tokens.isEmpty()) {
            throw new IllegalArgumentException("tokens: at least one admin token is required (e.g. tokens: [\"${MCPGW_ADMIN_TOKEN}\"])");
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i) == null || tokens.get(i).length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException("tokens[" + i + "]: an admin token needs at least " + MIN_TOKEN_LENGTH
                        + " characters (e.g. openssl rand -hex 32)");
            }
        }
        tokens = List.copyOf(tokens);
        tls = tls == null ? null : tls.forListener(false);
    }

    /** The listener's TLS settings; empty for plain HTTP. */
    public Optional<TlsConfig> listenerTls() {
        return Optional.ofNullable(tls);
    }

    /** These settings on another address, e.g. a free port for tests. */
    public AdminConfig listeningOn(String otherHost, int otherPort) {
        return new AdminConfig(otherHost, otherPort, tokens, tls);
    }
}
