package io.mcpgw.server.egress;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.config.BackendConfig;
import io.mcpgw.server.config.McpgwConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The backend definitions in this process, starting from the configured ones. A change is made and told to the
 * listeners under one lock, so they hear the changes in the order they were made; readers take the current map
 * without it.
 */
@Singleton
public final class LocalBackendRegistry implements BackendRegistry {

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** Replaced whole on each change, in the order the definitions joined. */
    private volatile Map<String, BackendConfig> definitions;

    @Inject
    LocalBackendRegistry(McpgwConfig config) {
        Map<String, BackendConfig> configured = new LinkedHashMap<>();
        config.backends().forEach(backend -> configured.put(backend.id(), backend));
        definitions = Collections.unmodifiableMap(configured);
    }

    @Override
    public List<BackendConfig> all() {
        return List.copyOf(definitions.values());
    }

    @Override
    public Optional<BackendConfig> get(String id) {
        return Optional.ofNullable(definitions.get(id));
    }

    @Override
    public synchronized void add(BackendConfig definition) {
        if (definitions.containsKey(definition.id())) {
            throw new IllegalStateException("backend '" + definition.id() + "' already exists");
        }
        change(List.of(definition), List.of(), Duration.ZERO);
    }

    @Override
    public synchronized void change(List<BackendConfig> put, Collection<String> removed, Duration drain) {
        Map<String, BackendConfig> updated = new LinkedHashMap<>(definitions);
        removed.forEach(updated::remove);
        put.forEach(definition -> updated.put(definition.id(), definition));
        definitions = Collections.unmodifiableMap(updated);
        List<BackendConfig> now = List.copyOf(updated.values());
        listeners.forEach(listener -> listener.changed(now, drain));
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }
}
