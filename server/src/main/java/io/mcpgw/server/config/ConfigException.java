package io.mcpgw.server.config;

/** The configuration is invalid; the message reads {@code <file>: <key path>: <problem>}. */
public final class ConfigException extends StartupException {

    public ConfigException(String message) {
        super(message);
    }

    static ConfigException at(String source, String path, String problem) {
        return new ConfigException(source + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
    }
}
