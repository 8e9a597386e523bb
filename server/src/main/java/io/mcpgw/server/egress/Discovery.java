package io.mcpgw.server.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What one backend offers (its tools, prompts, resources and templates), listed page by page at start and again
 * for each {@code list_changed} it sends, one listing at a time.
 */
final class Discovery {

    private static final Logger LOG = LogManager.getLogger(Discovery.class);
    private static final int MAX_PAGES = 1000;

    private final String backendId;
    private final Duration requestTimeout;
    private final Consumer<Set<ListKind>> changed;
    private final ReentrantLock discovering = new ReentrantLock();
    private volatile BackendSnapshot snapshot = BackendSnapshot.EMPTY;

    /** {@code changed} is told which lists a listing filled, once the snapshot holds them. */
    Discovery(String backendId, Duration requestTimeout, Consumer<Set<ListKind>> changed) {
        this.backendId = backendId;
        this.requestTimeout = requestTimeout;
        this.changed = changed;
    }

    BackendSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Lists {@code kinds} afresh. One discovery at a time: a {@code list_changed} that arrives while the first
     * discovery runs would otherwise start from the snapshot before it, and put back the lists it had just filled.
     */
    void discover(BackendClient client, Set<ListKind> kinds) {
        discovering.lock();
        try {
            BackendSnapshot updated = snapshot;
            ObjectNode initializeResult = client.initializeResult();
            for (ListKind kind : kinds) {
                List<ObjectNode> items = new ArrayList<>();
                if (initializeResult.path("capabilities").has(kind.capability())) {
                    items = fetchAll(client, kind);
                }
                if (kind == ListKind.TOOLS && client.era() == Era.MODERN) {
                    items = withValidHeaderMarks(items);
                }
                updated = updated.with(initializeResult, kind, items);
            }
            snapshot = updated;
        } finally {
            discovering.unlock();
        }
        changed.accept(kinds);
    }

    /**
     * A modern backend's tools whose {@code x-mcp-header} marks are valid: a client must leave out the others (and
     * say why), so that one malformed tool does not keep the rest from being used.
     */
    private List<ObjectNode> withValidHeaderMarks(List<ObjectNode> tools) {
        List<ObjectNode> valid = new ArrayList<>();
        for (ObjectNode tool : tools) {
            McpHeaders.invalidMarks(tool).ifPresentOrElse(
                    why -> LOG.warn("Backend '{}': tool '{}' left out: {}", backendId, tool.path("name").asText(), why), () -> valid.add(tool));
        }
        return valid;
    }

    /** The lists a {@code list_changed} notification says changed; empty for any other notification. */
    static Optional<Set<ListKind>> changedBy(ObjectNode notification) {
        String method = notification.path("method").asText();
        Set<ListKind> kinds = EnumSet.noneOf(ListKind.class);
        for (ListKind kind : ListKind.values()) {
            if (kind.changedNotification().equals(method)) {
                kinds.add(kind);
            }
        }
        return kinds.isEmpty() ? Optional.empty() : Optional.of(kinds);
    }

    /** Lists {@code kinds} again on a virtual thread, as a {@code list_changed} asks. */
    void rediscover(BackendClient client, Set<ListKind> kinds) {
        Thread.ofVirtual().name("rediscover-" + backendId).start(() -> {
            try {
                discover(client, kinds);
                LOG.info("Backend '{}' changed its {}", backendId, kinds);
            } catch (GatewayException e) {
                LOG.warn("Backend '{}' announced a change but could not be listed: {}", backendId, e.getMessage());
            }
        });
    }

    private List<ObjectNode> fetchAll(BackendClient client, ListKind kind) {
        List<ObjectNode> items = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            ObjectNode params = JsonRpc.MAPPER.createObjectNode();
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            ObjectNode response = join(client.request(kind.method(), params, requestTimeout, Caller.GATEWAY, AnswerHook.NONE).response());
            if (response.has("error")) {
                LOG.warn("Backend '{}' refused {}: {}", backendId, kind.method(), response.path("error").path("message").asText());
                return items;
            }
            JsonNode result = response.path("result");
            if (result.path(kind.field()) instanceof ArrayNode array) {
                array.forEach(item -> {
                    if (item instanceof ObjectNode object) {
                        items.add(object);
                    }
                });
            }
            cursor = result.path("nextCursor").textValue();
            if (cursor == null) {
                return items;
            }
        }
        LOG.warn("Backend '{}' paginates {} past {} pages; the rest is left out", backendId, kind.method(), MAX_PAGES);
        return items;
    }

    private static ObjectNode join(CompletableFuture<ObjectNode> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof GatewayException gateway ? gateway
                    : new GatewayException(ErrorCode.BACKEND_UNAVAILABLE, e.getCause().getMessage(), e.getCause());
        }
    }
}
