package io.mcpgw.spi;

import org.pf4j.ExtensionPoint;

/**
 * A named factory for one kind of extension. Implementations are stateless and cheap to construct; the gateway
 * creates the extension itself once per configured use.
 *
 * @param <T> the extension this factory creates
 */
public interface ExtensionFactory<T> extends ExtensionPoint {

    /**
     * The name a configuration selects this factory with ({@code type: <name>}). It matches
     * {@code [a-z][a-z0-9-]*} and is unique among the factories of its extension point, built-in or plugged in.
     */
    String name();

    /**
     * Creates the extension. Validate the configuration here: a failure (any exception, usually the one
     * {@link ConfigSection#bind(Class)} throws) stops start-up, or {@code mcpgw validate}, with the config path.
     */
    T create(ExtensionContext context);
}
