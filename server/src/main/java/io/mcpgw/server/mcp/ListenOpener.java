package io.mcpgw.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.governance.Governance;
import io.mcpgw.server.invocation.InvocationPipeline;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.session.ClientCall;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.session.Listeners;
import io.mcpgw.server.session.Sessionless;
import io.mcpgw.spi.identity.Identity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Opens a {@code subscriptions/listen} stream (MCP 2026-07-28): a listener of the principal's view, within the
 * gateway's and the principal's bounds; list changes of that view always honoured (the gateway knows when it
 * changes), each resource subscription honoured when the backend behind the view that offers the resource took it
 * ({@code resources/subscribe} on the backend session that serves the listener, as for a legacy session). Closing
 * the listener undoes those subscriptions.
 */
@Singleton
public final class ListenOpener {

    private static final Logger LOG = LogManager.getLogger(ListenOpener.class);
    /** How long the backends have to take the stream's resource subscriptions before it is acknowledged without them. */
    private static final long SUBSCRIBE_WAIT_SECONDS = 30;

    private final Listeners listeners;
    private final Governance governance;
    private final InvocationPipeline invocations;

    @Inject
    ListenOpener(Listeners listeners, Governance governance, InvocationPipeline invocations) {
        this.listeners = listeners;
        this.governance = governance;
        this.invocations = invocations;
    }

    /**
     * A listener whose stream has not begun: nothing reaches it until {@link #start}, which sends the
     * acknowledgement first.
     */
    public static final class Opened {

        private final ClientSession listener;
        private final JsonNode id;
        private final Gate gate;
        private final ListenFilter honoured;

        private Opened(ClientSession listener, JsonNode id, Gate gate, ListenFilter honoured) {
            this.listener = listener;
            this.id = id;
            this.gate = gate;
            this.honoured = honoured;
        }

        public ClientSession listener() {
            return listener;
        }

        /** Sends the acknowledgement to {@code sink}, then what the client opted in to, tagged, as it happens. */
        public void start(Consumer<ObjectNode> sink) {
            ObjectNode params = JsonRpc.MAPPER.createObjectNode();
            params.set("notifications", honoured.toJson());
            sink.accept(ListenFilter.tagged(JsonRpc.notification("notifications/subscriptions/acknowledged", params), id));
            gate.open(sink, honoured);
        }

        /** The response that ends the stream gracefully, when the gateway ends it. */
        public ObjectNode ended() {
            return ListenFilter.tagged(JsonRpc.result(id, JsonRpc.MAPPER.createObjectNode().put("resultType", "complete")), id);
        }
    }

    /** Where the listener's session sends what it is told; closed until the acknowledgement has gone. */
    private static final class Gate implements Consumer<ObjectNode> {

        private final JsonNode id;
        private volatile Consumer<ObjectNode> sink;
        private volatile ListenFilter filter;

        Gate(JsonNode id) {
            this.id = id;
        }

        void open(Consumer<ObjectNode> to, ListenFilter honoured) {
            filter = honoured;
            sink = to;
        }

        @Override
        public void accept(ObjectNode message) {
            Consumer<ObjectNode> to = sink;
            if (to != null && filter.admits(message)) {
                to.accept(ListenFilter.tagged(message, id));
            }
        }
    }

    /**
     * Opens the listener {@code caller} asks for with the request {@code id} and its {@code params} at
     * {@code endpoint}; throws a {@link GatewayException} for a malformed filter ({@code -32602}) or when the
     * gateway or the principal has no room ({@code -32009}).
     */
    public Opened open(View endpoint, Identity caller, Sessionless client, JsonNode id, JsonNode params) {
        ListenFilter asked = ListenFilter.asked(params);
        Gate gate = new Gate(id);
        ClientSession listener = listeners.open(governance.viewFor(endpoint, caller), client, caller, gate);
        try {
            List<String> honoured = subscribe(listener.startCall(id, gate), asked.resourceSubscriptions());
            return new Opened(listener, id, gate, asked.withResources(honoured));
        } catch (InterruptedException interrupted) {
            listeners.close(listener);
            Thread.currentThread().interrupt();
            throw new GatewayException(ErrorCode.REQUEST_CANCELLED, "The stream was cancelled while its resources were subscribed to");
        } catch (RuntimeException failed) {
            listeners.close(listener);
            throw failed;
        }
    }

    /** The URIs among {@code uris} a backend behind the listener's view subscribed it to. */
    private List<String> subscribe(ClientCall call, List<String> uris) throws InterruptedException {
        Map<String, CompletableFuture<ObjectNode>> asked = new LinkedHashMap<>();
        for (String uri : uris) {
            try {
                asked.put(uri, invocations.subscribe(call, uri));
            } catch (GatewayException refused) {
                LOG.debug("subscriptions/listen: {} not subscribed: {}", uri, refused.getMessage());
            }
        }
        List<String> honoured = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SUBSCRIBE_WAIT_SECONDS);
        for (Map.Entry<String, CompletableFuture<ObjectNode>> entry : asked.entrySet()) {
            try {
                entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                honoured.add(entry.getKey());
            } catch (ExecutionException | TimeoutException refused) {
                LOG.debug("subscriptions/listen: {} not subscribed: {}", entry.getKey(), refused.getMessage());
            }
        }
        return honoured;
    }
}
