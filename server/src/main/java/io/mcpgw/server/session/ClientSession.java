package io.mcpgw.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.catalog.View;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client's MCP session: what it negotiated at {@code initialize}, which view it uses, and its SSE streams.
 * Stream 0 is the session's GET stream, where notifications the client did not ask for go.
 */
public final class ClientSession {

    private final String id;
    private final View view;
    private final String protocolVersion;
    private final JsonNode clientCapabilities;
    private final Instant created;
    private final EventLog log;
    private final AtomicLong streamNumbers = new AtomicLong();
    private final Map<Long, SseStream> streams = new ConcurrentHashMap<>();
    private final SseStream standalone;

    ClientSession(String id, View view, String protocolVersion, JsonNode clientCapabilities, Instant created, int replayEvents) {
        this.id = id;
        this.view = view;
        this.protocolVersion = protocolVersion;
        this.clientCapabilities = clientCapabilities;
        this.created = created;
        this.log = new EventLog(replayEvents);
        this.standalone = new SseStream(0, log);
        streams.put(0L, standalone);
    }

    public String id() {
        return id;
    }

    public View view() {
        return view;
    }

    public String protocolVersion() {
        return protocolVersion;
    }

    public JsonNode clientCapabilities() {
        return clientCapabilities;
    }

    public Instant created() {
        return created;
    }

    /** A new stream for one POST's response. */
    public SseStream openStream() {
        SseStream stream = new SseStream(streamNumbers.incrementAndGet(), log);
        streams.put(stream.number(), stream);
        return stream;
    }

    /** Forgets a finished POST stream once it can no longer be resumed usefully. */
    public void forget(SseStream stream) {
        if (stream != standalone) {
            streams.remove(stream.number());
        }
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

    /** Ends every stream; called when the session is deleted or expires. */
    void close() {
        streams.values().forEach(SseStream::close);
        streams.clear();
    }
}
