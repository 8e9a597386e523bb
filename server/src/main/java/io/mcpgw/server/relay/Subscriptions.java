package io.mcpgw.server.relay;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.egress.BackendClient;
import io.mcpgw.server.egress.BackendScope;
import io.mcpgw.server.egress.Upstream;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.session.ClientSession;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Resource subscriptions, counted per backend, scope of sessions ({@link Upstream#scopeOf}: all of them, a tenant's,
 * or one) and URI: the backend is asked to subscribe when the first session does, and to unsubscribe when the last
 * one leaves. Each subscription lives on one connection of its scope; when that one ends, it moves to another, or
 * to the next one opened, and its updates go to its scope's subscribers alone.
 */
final class Subscriptions {

    private static final Logger LOG = LogManager.getLogger(Subscriptions.class);

    private record Key(Upstream backend, BackendScope scope, String uri) {}

    private final Map<Key, Set<ClientSession>> subscribers = new HashMap<>();
    private final Map<Key, BackendClient> placed = new HashMap<>();
    private final Set<ClientSession> watched = ConcurrentHashMap.newKeySet();

    /** Subscribes on {@code backendClient}, the connection that serves the session, when the session is its scope's first. */
    CompletableFuture<ObjectNode> subscribe(ClientSession session, BackendClient backendClient, Upstream backend, String uri) {
        Key key = new Key(backend, backendClient.scope(), uri);
        boolean first;
        synchronized (this) {
            Set<ClientSession> sessions = subscribers.computeIfAbsent(key, ignored -> new LinkedHashSet<>());
            first = sessions.isEmpty();
            if (!sessions.add(session)) {
                return CompletableFuture.completedFuture(JsonRpc.MAPPER.createObjectNode());
            }
        }
        if (watched.add(session)) {
            session.onClose(() -> sessionEnded(session));
        }
        if (!first) {
            return CompletableFuture.completedFuture(JsonRpc.MAPPER.createObjectNode());
        }
        return place(key, backendClient).thenApply(response -> {
            if (response.has("error")) {
                synchronized (this) {
                    subscribers.remove(key);
                    placed.remove(key);
                }
                throw new GatewayException(ErrorCode.INVALID_PARAMS, response.path("error").path("message").asText("subscribe refused"));
            }
            return (ObjectNode) response.path("result");
        });
    }

    CompletableFuture<ObjectNode> unsubscribe(ClientSession session, Upstream backend, BackendScope scope, String uri) {
        Key key = new Key(backend, scope, uri);
        BackendClient backendClient;
        synchronized (this) {
            Set<ClientSession> sessions = subscribers.get(key);
            if (sessions == null || !sessions.remove(session) || !sessions.isEmpty()) {
                return CompletableFuture.completedFuture(JsonRpc.MAPPER.createObjectNode());
            }
            subscribers.remove(key);
            backendClient = placed.remove(key);
        }
        if (backendClient == null || !backendClient.isOpen()) {
            return CompletableFuture.completedFuture(JsonRpc.MAPPER.createObjectNode());
        }
        // Answered once the backend has let go, so the client's next call cannot overtake it; the session is off the
        // list either way.
        return backendClient.request("resources/unsubscribe", JsonRpc.MAPPER.createObjectNode().put("uri", uri)).response()
                .handle((ignored, error) -> JsonRpc.MAPPER.createObjectNode());
    }

    private void sessionEnded(ClientSession session) {
        List<Key> keys;
        synchronized (this) {
            watched.remove(session);
            keys = subscribers.entrySet().stream().filter(entry -> entry.getValue().contains(session)).map(Map.Entry::getKey).toList();
        }
        keys.forEach(key -> unsubscribe(session, key.backend(), key.scope(), key.uri()));
    }

    /** The sessions of {@code scope} subscribed to a backend's URI. */
    synchronized List<ClientSession> subscribers(Upstream backend, BackendScope scope, String uri) {
        return List.copyOf(subscribers.getOrDefault(new Key(backend, scope, uri), Set.of()));
    }

    void onOpened(Upstream backend, BackendClient backendClient) {
        for (Key key : unplaced(backend, backendClient.scope())) {
            place(key, backendClient);
        }
    }

    void onClosed(BackendClient backendClient) {
        List<Key> moved;
        synchronized (this) {
            moved = placed.entrySet().stream().filter(entry -> entry.getValue() == backendClient).map(Map.Entry::getKey).toList();
            moved.forEach(placed::remove);
        }
        for (Key key : moved) {
            key.backend().clients().stream().filter(other -> other != backendClient && other.scope().equals(key.scope())).findFirst()
                    .ifPresent(other -> place(key, other));
        }
    }

    private synchronized List<Key> unplaced(Upstream backend, BackendScope scope) {
        return subscribers.keySet().stream()
                .filter(key -> key.backend() == backend && key.scope().equals(scope) && !placed.containsKey(key)).toList();
    }

    private CompletableFuture<ObjectNode> place(Key key, BackendClient backendClient) {
        synchronized (this) {
            placed.put(key, backendClient);
        }
        return backendClient.request("resources/subscribe", JsonRpc.MAPPER.createObjectNode().put("uri", key.uri())).response()
                .whenComplete((response, error) -> {
                    if (error != null) {
                        LOG.warn("Subscription to {} at backend '{}' failed: {}", key.uri(), key.backend().id(), error.getMessage());
                        synchronized (this) {
                            placed.remove(key, backendClient);
                        }
                    }
                });
    }
}
