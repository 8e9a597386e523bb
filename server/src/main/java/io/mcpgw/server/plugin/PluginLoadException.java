package io.mcpgw.server.plugin;

import io.mcpgw.server.config.StartupException;

/** A plugin could not be loaded; the message names the plugin and the cause. */
public final class PluginLoadException extends StartupException {

    public PluginLoadException(String message, Throwable cause) {
        super(message, cause);
    }

    public PluginLoadException(String message) {
        super(message);
    }
}
