package io.mcpgw.spi.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An event as the gateway's journal wrote it: the event and its line of JSON ({@link AuditEvent#toJson()}'s shape),
 * so a sink that stores the line need not build it again.
 */
public interface JournaledEvent {

    /** The event; for one read back from the journal (its sink was behind), parsed from its line when first asked. */
    AuditEvent event();

    /** The event's line of JSON, without a newline: what {@link AuditEvent#toJson()} gives. */
    String json();

    /** The line in UTF-8, without a newline, read-only. */
    default ByteBuffer utf8() {
        return ByteBuffer.wrap(json().getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }

    /** An event that was not read from the journal, with the line {@link AuditEvent#toJson()} gives it. */
    static JournaledEvent of(AuditEvent event) {
        String json = event.toJson();
        return new JournaledEvent() {
            @Override
            public AuditEvent event() {
                return event;
            }

            @Override
            public String json() {
                return json;
            }
        };
    }
}
