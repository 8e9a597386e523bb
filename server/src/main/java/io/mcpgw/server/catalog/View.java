package io.mcpgw.server.catalog;

import io.mcpgw.server.egress.Backend;
import java.util.List;
import java.util.Optional;

/**
 * What one client endpoint shows: every backend with namespaced names ({@code /mcp}), or one backend with its
 * native names ({@code /servers/<id>/mcp}).
 */
public record View(Optional<Backend> single) {

    public static final View AGGREGATE = new View(Optional.empty());

    public static View of(Backend backend) {
        return new View(Optional.of(backend));
    }

    /** Whether this view shows {@code backend}. */
    public boolean shows(Backend backend) {
        return single.map(only -> only == backend).orElse(true);
    }

    public boolean namespaced() {
        return single.isEmpty();
    }

    List<Backend> backends(List<Backend> all) {
        return single.map(List::of).orElse(all);
    }

    /** A key for caches: {@code *} or the backend id. */
    String key() {
        return single.map(Backend::id).orElse("*");
    }
}
