package io.mcpgw.server.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.jsonrpc.StrictJson;
import io.mcpgw.server.mcp.McpDispatcher;
import io.mcpgw.server.mcp.ProtocolVersions;
import io.mcpgw.server.mcp.SessionOpener;
import io.opentelemetry.context.Context;
import io.mcpgw.server.session.ClientCall;
import io.mcpgw.server.session.ClientSession;
import io.mcpgw.server.session.SessionStore;
import io.mcpgw.spi.identity.Identity;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One MCP session carried by one two-way channel (a WebSocket, or a 2024-11-05 SSE stream with its POST endpoint):
 * answers, messages about a request and messages of the server's own all go back over that channel. The MCP
 * session begins with the client's {@code initialize} and ends with the channel, and the channel with it.
 */
final class DuplexSession {

    /** The transport's side. {@code send} must not block: it queues. */
    interface Channel {
        void send(ObjectNode message);

        void close();
    }

    private static final Logger LOG = LogManager.getLogger(DuplexSession.class);

    private final McpDispatcher dispatcher;
    private final SessionOpener opener;
    private final SessionStore sessions;
    private final View view;
    private final Identity principal;
    private final Channel channel;
    private final Consumer<DuplexSession> onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile ClientSession session;

    DuplexSession(McpDispatcher dispatcher, SessionOpener opener, SessionStore sessions, View view, Identity principal,
            Channel channel, Consumer<DuplexSession> onEnd) {
        this.dispatcher = dispatcher;
        this.opener = opener;
        this.sessions = sessions;
        this.view = view;
        this.principal = principal;
        this.channel = channel;
        this.onEnd = onEnd;
    }

    /** Who opened the channel; only they may send on it. */
    Identity principal() {
        return principal;
    }

    /** One message as text; what cannot be parsed is answered with a parse error (or an invalid request). */
    void receive(String text) {
        JsonNode message;
        try {
            message = StrictJson.parse(text);
        } catch (GatewayException e) {
            channel.send(JsonRpc.error(NullNode.getInstance(), e));
            return;
        }
        receive(message);
    }

    /**
     * One parsed message. Runs on the channel's receiving thread and never blocks it: the work of a request or a
     * notification runs on a virtual thread of its own, once the call is registered (so a cancellation that
     * follows finds it).
     */
    void receive(JsonNode message) {
        if (message == null || message.isArray()) {
            channel.send(JsonRpc.error(NullNode.getInstance(), ErrorCode.INVALID_REQUEST.code(),
                    "Invalid Request: this transport carries one JSON-RPC message at a time, not batches"));
            return;
        }
        JsonRpc.Kind kind = JsonRpc.kind(message);
        if (kind == JsonRpc.Kind.INVALID) {
            channel.send(JsonRpc.error(JsonRpc.idToEcho(message), ErrorCode.INVALID_REQUEST.code(),
                    "Invalid Request: not a JSON-RPC 2.0 message"));
            return;
        }
        ObjectNode object = (ObjectNode) message;
        if (kind == JsonRpc.Kind.REQUEST && "initialize".equals(object.path("method").asText())) {
            initialize(object);
            return;
        }
        ClientSession current = session;
        if (current == null) {
            if (kind == JsonRpc.Kind.REQUEST) {
                channel.send(JsonRpc.error(object.get("id"), ErrorCode.INVALID_REQUEST.code(), "Send initialize first"));
            }
            return;
        }
        if (sessions.get(current.id()).isEmpty()) {
            end();
            return;
        }
        if (kind != JsonRpc.Kind.REQUEST) {
            Thread.startVirtualThread(() -> dispatcher.accept(current, object));
            return;
        }
        ClientCall call = current.startCall(object.get("id"), channel::send);
        Thread.startVirtualThread(() -> answer(call, object));
    }

    private void initialize(ObjectNode request) {
        if (session != null) {
            channel.send(JsonRpc.error(request.get("id"), ErrorCode.INVALID_REQUEST.code(), "the session is already initialized"));
            return;
        }
        SessionOpener.Opened opened;
        try {
            opened = opener.open(view, principal, request.path("params"), ProtocolVersions.CHANNEL, channel::send);
        } catch (GatewayException e) {
            channel.send(JsonRpc.error(request.get("id"), e));
            return;
        }
        ClientSession created = opened.session();
        session = created;
        created.onClose(this::end);
        if (ended.get()) {
            sessions.remove(created.id());
            return;
        }
        ObjectNode answer = JsonRpc.result(request.get("id"), opened.result());
        opened.recorded().thenRun(() -> channel.send(answer));
    }

    private void answer(ClientCall call, ObjectNode request) {
        try {
            dispatcher.handle(call, request, Context.root(), false).thenAccept(response -> {
                if (!call.cancelledByClient()) {
                    channel.send(response);
                }
            });
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure answering {}", request.path("method").asText(), e);
            call.session().endCall(call);
            channel.send(JsonRpc.error(call.id(), ErrorCode.INTERNAL_ERROR.code(), "internal error"));
        }
    }

    /** Ends the MCP session and the channel; the channel calls it when it goes away, and so does the gateway on stop. */
    void end() {
        if (ended.compareAndSet(false, true)) {
            ClientSession current = session;
            if (current != null) {
                sessions.remove(current.id());
            }
            channel.close();
            onEnd.accept(this);
        }
    }
}
