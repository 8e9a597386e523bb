package io.mcpgw.server.audit;

import io.mcpgw.spi.audit.AuditEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The last events recorded, newest last, for an operator's quick look; the sinks keep the trail. */
final class RecentEvents {

    private final int capacity;
    private final ArrayDeque<AuditEvent> events;

    RecentEvents(int capacity) {
        this.capacity = capacity;
        this.events = new ArrayDeque<>(capacity);
    }

    synchronized void add(AuditEvent event) {
        if (events.size() == capacity) {
            events.removeFirst();
        }
        events.addLast(event);
    }

    /** Up to {@code limit} of the newest, oldest first. */
    synchronized List<AuditEvent> newest(int limit) {
        List<AuditEvent> all = new ArrayList<>(events);
        return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
    }
}
