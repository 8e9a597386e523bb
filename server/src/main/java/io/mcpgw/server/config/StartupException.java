package io.mcpgw.server.config;

/**
 * A problem that stops the gateway from starting, told to the operator as its message alone: it names the file,
 * the key or the plugin, so no stack trace is needed.
 */
public class StartupException extends RuntimeException {

    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
