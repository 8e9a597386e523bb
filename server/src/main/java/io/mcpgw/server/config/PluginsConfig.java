package io.mcpgw.server.config;

import java.util.List;

/**
 * The {@code plugins:} section.
 *
 * @param directory where plugin jars and zips are found, relative to the install directory
 * @param disabled ids of plugins not to load (a broken plugin stops start-up unless it is listed here)
 */
public record PluginsConfig(String directory, List<String> disabled) {

    public static final PluginsConfig DEFAULTS = new PluginsConfig(null, null);

    public PluginsConfig {
        directory = directory == null ? "plugins" : directory;
        disabled = disabled == null ? List.of() : List.copyOf(disabled);
    }
}
