package io.mcpgw.server.ingress;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SSE streams of one Streamable HTTP session, over one event log they resume from. Stream 0 is the session's GET
 * stream, where the messages the client did not ask for go; every POST answered as a stream gets the next number.
 */
final class SessionStreams {

    private static final int RESUMABLE_STREAMS = 64;

    private final EventLog log;
    private final AtomicLong numbers = new AtomicLong();
    private final Map<Long, SseStream> streams = new ConcurrentHashMap<>();
    private final SseStream standalone;
    private final AtomicInteger getStreams = new AtomicInteger();

    /** Streams whose log keeps the last {@code replayEvents} events ({@code server.sseReplayEvents}). */
    SessionStreams(int replayEvents) {
        this.log = new EventLog(replayEvents);
        this.standalone = new SseStream(0, log);
        streams.put(0L, standalone);
    }

    /** A message that belongs to no request of the client's: on the GET stream, kept for it while no GET is open. */
    void sendUnsolicited(ObjectNode message) {
        standalone.emit(JsonRpc.write(message));
    }

    /**
     * A new stream for one POST's response. The last {@value #RESUMABLE_STREAMS} of them stay resumable; an older one
     * no longer is (its events have left the replay log by then anyway).
     */
    SseStream openStream() {
        SseStream stream = new SseStream(numbers.incrementAndGet(), log);
        streams.put(stream.number(), stream);
        long expired = stream.number() - RESUMABLE_STREAMS;
        if (expired > 0) {
            streams.remove(expired);
        }
        return stream;
    }

    /** Counts one more GET stream the client opened; false, counting nothing, when {@code max} are open already. */
    boolean openGetStream(int max) {
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
    void getStreamClosed() {
        getStreams.decrementAndGet();
    }

    /** The GET stream. */
    SseStream standalone() {
        return standalone;
    }

    /**
     * Resumes the stream a {@code Last-Event-ID} names on a new channel; empty when the id names no stream this
     * session still has.
     */
    Optional<SseStream> resume(String lastEventId, SseChannel channel) {
        return EventLog.parseId(lastEventId).flatMap(parts -> Optional.ofNullable(streams.get(parts[0])).map(stream -> {
            stream.resume(channel, parts[1]);
            return stream;
        }));
    }

    /** Ends every stream: the session ended. */
    void close() {
        streams.values().forEach(SseStream::finish);
        streams.clear();
    }
}
