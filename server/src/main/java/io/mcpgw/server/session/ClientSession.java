package io.mcpgw.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.catalog.View;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client's MCP session: what it negotiated at {@code initialize}, which view it uses, and its SSE streams.
 * Stream 0 is the session's GET stream, where notifications the client did not ask for go.
 */
public final class ClientSession {

    private static final int RESUMABLE_STREAMS = 64;

    private final String id;
    private final View view;
    private final String protocolVersion;
    private final JsonNode clientCapabilities;
    private final EventLog log;
    private final AtomicLong streamNumbers = new AtomicLong();
    private final Map<Long, SseStream> streams = new ConcurrentHashMap<>();
    private final SseStream standalone;

    ClientSession(String id, View view, String protocolVersion, JsonNode clientCapabilities, int replayEvents) {
        this.id = id;
        this.view = view;
        this.protocolVersion = protocolVersion;
        this.clientCapabilities = clientCapabilities;
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
