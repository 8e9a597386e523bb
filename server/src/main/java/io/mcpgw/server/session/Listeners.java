package io.mcpgw.server.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.egress.ListKind;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.telemetry.Telemetry;
import io.mcpgw.spi.identity.Identity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The open {@code subscriptions/listen} streams of modern (2026-07-28) clients, each a session of its own (with an
 * id of its own, {@code listen-<n>}, that no client ever presents: it names the listener to the backends' scopes)
 * that lives as long as its stream and is sent what the client opted in to: bounded overall ({@code server.maxListeners}) and
 * per principal ({@code server.maxListenersPerPrincipal}), counted by the {@code mcpgw.listeners.active} gauge.
 * What tells sessions of a change (a list, a subscribed resource) tells these too.
 */
@Singleton
public final class Listeners {

    private record Principal(String tenant, String client) {}

    private final int max;
    private final int maxPerPrincipal;
    private final Set<ClientSession> open = ConcurrentHashMap.newKeySet();
    private final Map<Principal, Integer> perPrincipal = new HashMap<>();
    private final AtomicLong ids = new AtomicLong();

    @Inject
    Listeners(McpgwConfig config, Telemetry telemetry) {
        this.max = config.server().maxListeners();
        this.maxPerPrincipal = config.server().maxListenersPerPrincipal();
        telemetry.meter().upDownCounterBuilder("mcpgw.listeners.active").setDescription("subscriptions/listen streams open")
                .buildWithCallback(gauge -> gauge.record(open.size()));
    }

    /**
     * A listener's session at {@code view} (already the principal's), what it is sent going to {@code sink}; a
     * {@code -32009} (HTTP 429) when the gateway or the principal has its listeners open.
     */
    public ClientSession open(View view, Sessionless client, Identity principal, Consumer<ObjectNode> sink) {
        Principal who = new Principal(principal.tenant(), principal.client());
        synchronized (this) {
            if (open.size() >= max) {
                throw new GatewayException(ErrorCode.THROTTLED, "The gateway has its " + max
                        + " subscriptions/listen streams open (server.maxListeners); try again later");
            }
            if (perPrincipal.getOrDefault(who, 0) >= maxPerPrincipal) {
                throw new GatewayException(ErrorCode.THROTTLED, "This client has its " + maxPerPrincipal
                        + " subscriptions/listen streams open (server.maxListenersPerPrincipal); close one first");
            }
            perPrincipal.merge(who, 1, Integer::sum);
            ClientSession listener = new ClientSession("listen-" + ids.incrementAndGet(), view, client, principal, sink);
            open.add(listener);
            return listener;
        }
    }

    /** Ends a listener: its close actions run (its subscriptions at backends are undone), and its place is given back. */
    public void close(ClientSession listener) {
        synchronized (this) {
            if (!open.remove(listener)) {
                return;
            }
            perPrincipal.computeIfPresent(new Principal(listener.principal().tenant(), listener.principal().client()),
                    (ignored, count) -> count == 1 ? null : count - 1);
        }
        listener.close();
    }

    /**
     * What a listener's view was built on changed (its tenant's grants, its agent, its backend's definition): it is
     * told its lists changed (as far as it asked), then ended, its client to listen again for the new view.
     */
    public void viewChanged(ClientSession listener) {
        for (ListKind kind : List.of(ListKind.TOOLS, ListKind.PROMPTS, ListKind.RESOURCES)) {
            listener.sendUnsolicited(JsonRpc.notification(kind.changedNotification(), null));
        }
        close(listener);
    }

    /** The listeners open now. */
    public List<ClientSession> all() {
        return List.copyOf(open);
    }

    /** Ends every listener, as a stopping gateway does: each stream ends with its response. */
    public void endAll() {
        all().forEach(this::close);
    }
}
