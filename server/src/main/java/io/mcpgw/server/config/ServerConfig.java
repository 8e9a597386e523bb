package io.mcpgw.server.config;

import java.time.Duration;

/**
 * The {@code server:} section.
 *
 * @param host the address the MCP endpoint listens on; loopback unless deliberately opened
 * @param port the port; 0 picks a free one (logged, and shown by {@code mcpgw status})
 * @param shutdownTimeout how long a graceful stop waits for work in flight
 * @param dataDirectory where the gateway and its extensions keep state, relative to the install directory
 */
public record ServerConfig(String host, Integer port, Duration shutdownTimeout, String dataDirectory) {

    public static final ServerConfig DEFAULTS = new ServerConfig(null, null, null, null);

    public ServerConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 8080 : port;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is not a port (0 to 65535; 0 picks a free one)");
        }
        shutdownTimeout = shutdownTimeout == null ? Duration.ofSeconds(30) : shutdownTimeout;
        dataDirectory = dataDirectory == null ? "data" : dataDirectory;
    }
}
