package io.mcpgw.server.egress;

import io.mcpgw.server.config.BackendConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The backends the gateway serves, as definitions by id: those configured and those an operator adds, redefines or
 * removes at run time (the admin API, a reload). It holds definitions only; {@link BackendManager} runs a
 * {@link Backend} for each and follows the registry's changes. The local registry keeps them in this process; a
 * registry shared between gateways makes a change written on one node apply on every node.
 */
public interface BackendRegistry {

    /** In the order they joined, configured ones first; a redefined one keeps its place. */
    List<BackendConfig> all();

    Optional<BackendConfig> get(String id);

    /**
     * Adds a definition.
     *
     * @throws IllegalStateException when one has its id
     */
    void add(BackendConfig definition);

    /**
     * Changes the definitions at once: the {@code removed} ids go, the {@code put} ones take their ids' places or
     * join. Whatever a change replaces or removes may finish its calls in flight for up to {@code drain}.
     */
    void change(List<BackendConfig> put, Collection<String> removed, Duration drain);

    /** Whoever hears each change, once it is made, in the order they were made. */
    void addListener(Listener listener);

    /** Hears the definitions a change left, and how long what it replaced or removed may drain. */
    @FunctionalInterface
    interface Listener {

        void changed(List<BackendConfig> definitions, Duration drain);
    }
}
