package io.mcpgw.server.catalog;

import io.mcpgw.server.egress.ListKind;
import io.mcpgw.server.egress.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one client session sees: every backend with namespaced names ({@code /mcp}), one backend with its native
 * names ({@code /servers/<id>/mcp}), or what an agent uses ({@code /agents/<name>/mcp}), narrowed by the grants of
 * whoever uses it (the tenant's). What a view hides does not exist for the session: it is in no list, and naming it
 * gives the error an unknown name gets.
 */
public record View(Optional<Upstream> single, Optional<Agent> agent, List<Grants> grants) {

    public static final View AGGREGATE = new View(Optional.empty(), Optional.empty(), List.of());

    public View {
        grants = List.copyOf(grants);
    }

    public static View of(Upstream backend) {
        return new View(Optional.of(backend), Optional.empty(), List.of());
    }

    public static View of(Agent agent) {
        return new View(Optional.empty(), Optional.of(agent), List.of(agent.grants()));
    }

    /** This view, further narrowed by {@code more}. */
    public View restrictedBy(Grants more) {
        List<Grants> all = new ArrayList<>(grants);
        all.add(more);
        return new View(single, agent, all);
    }

    /** Whether the two views are reached at the same endpoint (whatever grants narrow them). */
    public boolean sameEndpoint(View other) {
        return endpoint().equals(other.endpoint());
    }

    /** The path of the endpoint the view is reached at: {@code /mcp}, {@code /servers/<id>/mcp} or {@code /agents/<name>/mcp}. */
    public String endpoint() {
        return single.map(backend -> "/servers/" + backend.id() + "/mcp")
                .or(() -> agent.map(used -> "/agents/" + used.name() + "/mcp")).orElse("/mcp");
    }

    /** Whether this view shows anything of {@code backend}. */
    public boolean shows(Upstream backend) {
        if (single.isPresent() && single.get() != backend) {
            return false;
        }
        for (Grants each : grants) {
            if (!each.reaches(backend)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether this view shows the item of {@code backend} of {@code kind} that the backend knows by {@code key}: its
     * native name, URI or URI template.
     */
    public boolean shows(ListKind kind, Upstream backend, String key) {
        if (single.isPresent() && single.get() != backend) {
            return false;
        }
        for (Grants each : grants) {
            if (!each.allows(kind, backend.id(), key)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the endpoint shows anything at all: a single backend the grants hide makes it unreachable. */
    public boolean reachable() {
        return single.map(this::shows).orElse(true);
    }

    /**
     * Whether grants narrow what the view shows (an agent's, a tenant's that lists something): then another principal
     * may see something else here, and what the gateway says of the view is {@code private} to a cache.
     */
    public boolean narrowed() {
        return grants.stream().anyMatch(Grants::narrows);
    }

    public boolean namespaced() {
        return single.isEmpty();
    }

    List<Upstream> backends(List<Upstream> all) {
        return all.stream().filter(this::shows).toList();
    }

    /** A key for caches: the endpoint ({@code *} or the backend id) and the grants' keys. */
    String key() {
        StringBuilder key = new StringBuilder(single.map(Upstream::id).orElse("*"));
        grants.forEach(each -> key.append('|').append(each.key()));
        return key.toString();
    }
}
