package io.mcpgw.server.audit;

import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.JournaledEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An event as the journal holds it: its line lies from {@link #start} to just before {@link #end} (its newline), and
 * its bytes, in an array shared with the other lines written or read with it, are what the sinks are given. One read
 * back from disk is parsed into its event only when a sink asks for that.
 */
final class JournalRecord implements JournaledEvent {

    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final long start;
    /** Parsed from the line when first asked, if not given; whoever parses it first sets an equal value. */
    private AuditEvent event;

    /**
     * @param event the event, or null when the line was read back from disk
     * @param bytes where the line lies, from {@code offset}, {@code length} bytes without its newline
     * @param start the line's position in the journal
     */
    JournalRecord(AuditEvent event, byte[] bytes, int offset, int length, long start) {
        this.event = event;
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.start = start;
    }

    long start() {
        return start;
    }

    /** The position just past the line's newline. */
    long end() {
        return start + length + 1;
    }

    @Override
    public AuditEvent event() {
        AuditEvent parsed = event;
        if (parsed == null) {
            try {
                event = parsed = AuditEventJson.read(JsonRpc.MAPPER.readTree(bytes, offset, length));
            } catch (IOException e) {
                throw new UncheckedIOException("an audit journal line at " + start + " is not an event", e);
            }
        }
        return parsed;
    }

    @Override
    public String json() {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    @Override
    public ByteBuffer utf8() {
        return ByteBuffer.wrap(bytes, offset, length).slice().asReadOnlyBuffer();
    }
}
