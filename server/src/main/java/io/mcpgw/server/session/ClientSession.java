package io.mcpgw.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.egress.Caller;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.monitor.MonitoredSession;
import io.mcpgw.spi.identity.Identity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client's MCP session: what it negotiated at {@code initialize}, which view it uses, and its SSE streams.
 * Stream 0 is the session's GET stream, where notifications the client did not ask for go.
 */
public final class ClientSession implements Caller.Session, MonitoredSession {

    private static final int RESUMABLE_STREAMS = 64;

    private final String id;
    private final View view;
    private final String protocolVersion;
    private final JsonNode clientCapabilities;
    private final Identity principal;
    private final EventLog log;
    private final AtomicLong streamNumbers = new AtomicLong();
    private final Map<Long, SseStream> streams = new ConcurrentHashMap<>();
    private final SseStream standalone;
    private final boolean mayBeAsked;
    private final Map<JsonNode, ClientCall> calls = new ConcurrentHashMap<>();
    private final List<Runnable> closeActions = new CopyOnWriteArrayList<>();
    private volatile Consumer<ObjectNode> unsolicited;
    private volatile LogLevel logLevel = LogLevel.DEBUG;
    private volatile boolean closed;
    private final long createdNanos = System.nanoTime();
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicInteger asks = new AtomicInteger();
    private final AtomicInteger getStreams = new AtomicInteger();
    private volatile String haltedBecause;

    ClientSession(String id, View view, String protocolVersion, JsonNode clientCapabilities, Identity principal, int replayEvents) {
        this.id = id;
        this.principal = principal;
        this.view = view;
        this.protocolVersion = protocolVersion;
        this.clientCapabilities = clientCapabilities;
        this.mayBeAsked = clientCapabilities.has("sampling") || clientCapabilities.has("elicitation") || clientCapabilities.has("roots");
        this.log = new EventLog(replayEvents);
        this.standalone = new SseStream(0, log);
        streams.put(0L, standalone);
        this.unsolicited = message -> standalone.emit(JsonRpc.write(message));
    }

    @Override
    public String id() {
        return id;
    }

    public View view() {
        return view;
    }

    @Override
    public Optional<String> agentName() {
        return view.agent().map(agent -> agent.name());
    }

    /** Who the session belongs to, decided at {@code initialize}; every later request must come from the same principal. */
    @Override
    public Identity principal() {
        return principal;
    }

    @Override
    public String protocolVersion() {
        return protocolVersion;
    }

    public JsonNode clientCapabilities() {
        return clientCapabilities;
    }

    /** Whether the client declared it can be asked things: sampling, elicitation or roots. */
    public boolean mayBeAsked() {
        return mayBeAsked;
    }

    /** Sends a message that belongs to no request of the client's: on the GET stream, or the transport's own channel. */
    public void sendUnsolicited(ObjectNode message) {
        unsolicited.accept(message);
    }

    /** Replaces where unsolicited messages go, for transports with one channel per session (WebSocket, legacy SSE). */
    public void sendUnsolicitedTo(Consumer<ObjectNode> channel) {
        unsolicited = channel;
    }

    /** Starts a call for one of the client's requests; it can be cancelled by the client's id until it ends. */
    public ClientCall startCall(JsonNode requestId, Consumer<ObjectNode> related) {
        ClientCall call = new ClientCall(this, requestId, related);
        calls.put(requestId, call);
        return call;
    }

    public void endCall(ClientCall call) {
        calls.remove(call.id(), call);
        call.end();
    }

    /** The call in flight with the client's id, for cancellation. */
    public Optional<ClientCall> call(JsonNode requestId) {
        return Optional.ofNullable(calls.get(requestId));
    }

    /** Counts one more invocation (tool call, prompt, resource read); how many came before it. */
    public long countInvocation() {
        return invocations.getAndIncrement();
    }

    /** The invocations counted so far. */
    public long invocations() {
        return invocations.get();
    }

    /** The client's requests in flight. */
    public int inFlight() {
        return calls.size();
    }

    /** A backend asked the client something (sampling, elicitation, roots) on this session; until {@link #askEnded}. */
    public void askStarted() {
        asks.incrementAndGet();
    }

    public void askEnded() {
        asks.decrementAndGet();
    }

    /** How many backend requests wait for this client's answer: a call made now is that much deeper. */
    public int pendingAsks() {
        return asks.get();
    }

    /** Stops the session for good: every later invocation is refused with {@code reason}. */
    public void halt(String reason) {
        haltedBecause = reason;
    }

    public Optional<String> haltedBecause() {
        return Optional.ofNullable(haltedBecause);
    }

    @Override
    public Duration age() {
        return Duration.ofNanos(System.nanoTime() - createdNanos);
    }

    /** The lowest severity of log message the client asked for with {@code logging/setLevel}. */
    public LogLevel logLevel() {
        return logLevel;
    }

    public void logLevel(LogLevel level) {
        logLevel = level;
    }

    /** Runs {@code action} when the session ends (at once if it has). */
    public void onClose(Runnable action) {
        synchronized (closeActions) {
            if (!closed) {
                closeActions.add(action);
                return;
            }
        }
        action.run();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * A new stream for one POST's response. The session remembers the last {@value #RESUMABLE_STREAMS} of them for
     * resumption; an older one can no longer be resumed (its events have left the replay log by then anyway).
     */
    public SseStream openStream() {
        SseStream stream = new SseStream(streamNumbers.incrementAndGet(), log);
        streams.put(stream.number(), stream);
        long expired = stream.number() - RESUMABLE_STREAMS;
        if (expired > 0) {
            streams.remove(expired);
        }
        return stream;
    }

    /** Counts one more GET stream the client opened; false, counting nothing, when {@code max} are open already. */
    public boolean openGetStream(int max) {
        while (true) {
            int open = getStreams.get();
            if (open >= max) {
                return false;
            }
            if (getStreams.compareAndSet(open, open + 1)) {
                return true;
            }
        }
    }

    /** One of the client's GET streams closed. */
    public void getStreamClosed() {
        getStreams.decrementAndGet();
    }

    /** The GET stream. */
    public SseStream standalone() {
        return standalone;
    }

    /**
     * Resumes the stream a {@code Last-Event-ID} names on a new channel; empty when the id names no stream this
     * session still has.
     */
    public Optional<SseStream> resume(String lastEventId, SseChannel channel) {
        return EventLog.parseId(lastEventId).flatMap(parts -> Optional.ofNullable(streams.get(parts[0])).map(stream -> {
            stream.resume(channel, parts[1]);
            return stream;
        }));
    }

    /**
     * Ends every stream and runs the close actions; called when the session is deleted or expires. Only the first call
     * does anything, and a call at the same time returns once it is done: whoever removes a session sees it ended (its
     * tenant's place given back) even when the store's removal listener got there first.
     */
    void close() {
        synchronized (closeActions) {
            if (closed) {
                return;
            }
            closed = true;
            streams.values().forEach(SseStream::close);
            streams.clear();
            calls.values().forEach(call -> call.cancel("the session ended"));
            closeActions.forEach(Runnable::run);
        }
    }
}
