package io.mcpgw.server.ingress;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The last events a session sent, for resumption; bounded, oldest dropped first. Event ids are
 * {@code <stream>-<sequence>}, the sequence counting across the session.
 */
final class EventLog {

    record Event(long stream, long sequence, String data) {
        String id() {
            return stream + "-" + sequence;
        }
    }

    private final int capacity;
    private final Deque<Event> events = new ArrayDeque<>();
    private long sequence;

    EventLog(int capacity) {
        this.capacity = capacity;
    }

    synchronized Event append(long stream, String data) {
        Event event = new Event(stream, ++sequence, data);
        events.addLast(event);
        if (events.size() > capacity) {
            events.removeFirst();
        }
        return event;
    }

    synchronized List<Event> after(long stream, long afterSequence) {
        List<Event> missed = new ArrayList<>();
        for (Event event : events) {
            if (event.stream() == stream && event.sequence() > afterSequence) {
                missed.add(event);
            }
        }
        return missed;
    }

    /** Parses {@code <stream>-<sequence>}. */
    static Optional<long[]> parseId(String id) {
        int dash = id.indexOf('-');
        if (dash <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new long[] {Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))});
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
