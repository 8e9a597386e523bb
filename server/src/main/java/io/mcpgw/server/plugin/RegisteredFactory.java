package io.mcpgw.server.plugin;

import io.mcpgw.spi.ExtensionFactory;

/**
 * A factory and where it came from.
 *
 * @param origin {@code built-in}, or {@code plugin 'id' 1.2.0 (plugins/file.zip)}
 */
public record RegisteredFactory(ExtensionKind kind, ExtensionFactory<?> factory, String origin) {

    public String name() {
        return factory.name();
    }
}
