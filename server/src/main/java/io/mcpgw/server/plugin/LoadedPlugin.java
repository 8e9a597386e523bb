package io.mcpgw.server.plugin;

import java.nio.file.Path;
import java.util.List;

/**
 * A plugin as the gateway sees it.
 *
 * @param state {@code started} or {@code disabled}
 * @param factories the extension factories it contributes (none when disabled)
 */
public record LoadedPlugin(String id, String version, Path path, String state, List<RegisteredFactory> factories) {

    public LoadedPlugin {
        factories = List.copyOf(factories);
    }
}
