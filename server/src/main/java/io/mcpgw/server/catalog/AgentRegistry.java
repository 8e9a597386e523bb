package io.mcpgw.server.catalog;

import io.mcpgw.server.config.AgentConfig;
import java.util.List;
import java.util.Optional;

/**
 * The agents the gateway offers, as definitions by name: those configured and those an operator composes or
 * removes at run time (the admin API, a reload). It holds definitions only; {@link Agents} keeps each one created
 * (its policies included) and follows the registry's changes. The local registry keeps them in this process; a
 * registry shared between gateways makes a change written on one node apply on every node.
 */
public interface AgentRegistry {

    /** In the order they joined, configured ones first, or in the order a {@link #replaceAll} gave. */
    List<AgentConfig> all();

    Optional<AgentConfig> get(String name);

    /**
     * Adds a definition.
     *
     * @throws IllegalStateException when one has its name
     */
    void add(AgentConfig definition);

    /** Removes the agent's definition; empty when there is none. */
    Optional<AgentConfig> remove(String name);

    /** Puts these definitions in place of all others, at once. */
    void replaceAll(List<AgentConfig> definitions);

    /** Whoever hears each change, once it is made, in the order they were made. */
    void addListener(Listener listener);

    /** Hears the definitions a change left. */
    @FunctionalInterface
    interface Listener {

        void changed(List<AgentConfig> definitions);
    }
}
