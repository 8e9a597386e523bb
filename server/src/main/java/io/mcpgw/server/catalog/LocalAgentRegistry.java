package io.mcpgw.server.catalog;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.AgentConfig;
import io.mcpgw.server.config.McpgwConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The agent definitions in this process, starting from the configured ones. A change is made and told to the
 * listeners under one lock, so they hear the changes in the order they were made; readers take the current map
 * without it.
 */
@Singleton
public final class LocalAgentRegistry implements AgentRegistry {

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Replaced whole on each change. */
    private volatile Map<String, AgentConfig> definitions = Map.of();

    @Inject
    LocalAgentRegistry(McpgwConfig config) {
        publish(config.agents());
    }

    @Override
    public List<AgentConfig> all() {
        return List.copyOf(definitions.values());
    }

    @Override
    public Optional<AgentConfig> get(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    @Override
    public synchronized void add(AgentConfig definition) {
        if (definitions.containsKey(definition.name())) {
            throw new IllegalStateException("agent '" + definition.name() + "' already exists");
        }
        List<AgentConfig> updated = new ArrayList<>(definitions.values());
        updated.add(definition);
        publish(updated);
    }

    @Override
    public synchronized Optional<AgentConfig> remove(String name) {
        Optional<AgentConfig> removed = get(name);
        publish(definitions.values().stream().filter(agent -> !agent.name().equals(name)).toList());
        return removed;
    }

    @Override
    public synchronized void replaceAll(List<AgentConfig> replacing) {
        publish(replacing);
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    private void publish(List<AgentConfig> agents) {
        Map<String, AgentConfig> updated = new LinkedHashMap<>();
        agents.forEach(agent -> updated.put(agent.name(), agent));
        definitions = Collections.unmodifiableMap(updated);
        List<AgentConfig> now = List.copyOf(updated.values());
        listeners.forEach(listener -> listener.changed(now));
    }
}
