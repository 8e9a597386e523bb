package io.mcpgw.server.audit;

import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditEventType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Events as the journal's lines: each one {@link AuditEvent#toJson()}'s JSON, byte for byte, in UTF-8, then a
 * newline, encoded straight into one reused array (no string built per event). Used by one thread at a time.
 */
final class JournalLines {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] TYPES = Arrays.stream(AuditEventType.values())
            .map(type -> bytesOf(",\"type\":\"" + type.wireName() + "\"")).toArray(byte[][]::new);
    private static final byte[] ID = bytesOf("{\"id\":");
    private static final byte[] TIME = bytesOf(",\"time\":\"");
    private static final byte[] TENANT = bytesOf(",\"tenant\":");
    private static final byte[] CLIENT = bytesOf(",\"client\":");
    private static final byte[] SESSION = bytesOf(",\"session\":");
    private static final byte[] AGENT = bytesOf(",\"agent\":");
    private static final byte[] BACKEND = bytesOf(",\"backend\":");
    private static final byte[] TOOL = bytesOf(",\"tool\":");
    private static final byte[] REQUEST_ID = bytesOf(",\"requestId\":");
    private static final byte[] TRACE_ID = bytesOf(",\"traceId\":");
    private static final byte[] OUTCOME = bytesOf(",\"outcome\":");
    private static final byte[] ERROR_CODE = bytesOf(",\"errorCode\":");
    private static final byte[] DURATION = bytesOf(",\"durationMicros\":");
    private static final byte[] METADATA = bytesOf(",\"metadata\":{");

    private byte[] bytes = new byte[8192];
    private int size;

    /** Appends the event's line, newline included. */
    void append(AuditEvent event) {
        put(ID);
        quoted(event.id());
        put(TIME);
        time(event.time());
        put(TYPES[event.type().ordinal()]);
        optional(TENANT, event.tenant());
        optional(CLIENT, event.client());
        optional(SESSION, event.session());
        optional(AGENT, event.agent());
        optional(BACKEND, event.backend());
        optional(TOOL, event.tool());
        optional(REQUEST_ID, event.requestId());
        optional(TRACE_ID, event.traceId());
        optional(OUTCOME, event.outcome());
        optional(ERROR_CODE, event.errorCode());
        if (event.durationMicros().isPresent()) {
            put(DURATION);
            number(event.durationMicros().get());
        }
        if (!event.metadata().isEmpty()) {
            put(METADATA);
            boolean first = true;
            for (Map.Entry<String, String> entry : event.metadata().entrySet()) {
                if (!first) {
                    put((byte) ',');
                }
                quoted(entry.getKey());
                put((byte) ':');
                quoted(entry.getValue());
                first = false;
            }
            put((byte) '}');
        }
        put((byte) '}');
        put((byte) '\n');
    }

    /** Bytes appended since the last {@link #clear}. */
    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    /** Puts what was appended into {@code out}, which has room for it. */
    void copyTo(ByteBuffer out) {
        out.put(bytes, 0, size);
    }

    /** A copy of what was appended. */
    byte[] copy() {
        return Arrays.copyOf(bytes, size);
    }

    private void optional(byte[] name, Optional<String> value) {
        if (value.isPresent()) {
            put(name);
            quoted(value.get());
        }
    }

    /** What {@link Instant#toString()} writes (ISO-8601, the fraction in groups of three digits), without building it. */
    private void time(Instant time) {
        long seconds = time.getEpochSecond();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400));
        if (date.getYear() < 0 || date.getYear() > 9999) {
            ascii(time.toString());
        } else {
            int second = Math.floorMod(seconds, 86_400);
            digits(date.getYear(), 4);
            put((byte) '-');
            digits(date.getMonthValue(), 2);
            put((byte) '-');
            digits(date.getDayOfMonth(), 2);
            put((byte) 'T');
            digits(second / 3600, 2);
            put((byte) ':');
            digits(second / 60 % 60, 2);
            put((byte) ':');
            digits(second % 60, 2);
            int nanos = time.getNano();
            if (nanos != 0) {
                put((byte) '.');
                if (nanos % 1_000_000 == 0) {
                    digits(nanos / 1_000_000, 3);
                } else if (nanos % 1000 == 0) {
                    digits(nanos / 1000, 6);
                } else {
                    digits(nanos, 9);
                }
            }
            put((byte) 'Z');
        }
        put((byte) '"');
    }

    private void digits(int value, int width) {
        room(width);
        for (int i = width - 1; i >= 0; i--) {
            bytes[size + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += width;
    }

    private void number(long value) {
        ascii(Long.toString(value));
    }

    private void ascii(String text) {
        room(text.length());
        for (int i = 0; i < text.length(); i++) {
            bytes[size++] = (byte) text.charAt(i);
        }
    }

    /** A JSON string as {@link AuditEvent#toJson()} escapes it, in UTF-8 (a lone surrogate becomes {@code ?}). */
    private void quoted(String text) {
        int length = text.length();
        // at most six bytes per char (an escape), and the quotes
        room(6 * length + 2);
        byte[] out = bytes;
        int at = size;
        out[at++] = '"';
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x80) {
                if (c == '"' || c == '\\') {
                    out[at++] = '\\';
                }
                out[at++] = (byte) c;
            } else if (c < 0x20) {
                out[at++] = '\\';
                switch (c) {
                    case '\n' -> out[at++] = 'n';
                    case '\r' -> out[at++] = 'r';
                    case '\t' -> out[at++] = 't';
                    default -> {
                        out[at++] = 'u';
                        out[at++] = '0';
                        out[at++] = '0';
                        out[at++] = HEX[c >> 4];
                        out[at++] = HEX[c & 0xf];
                    }
                }
            } else if (c < 0x800) {
                out[at++] = (byte) (0xc0 | c >> 6);
                out[at++] = (byte) (0x80 | c & 0x3f);
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                int point = Character.toCodePoint(c, text.charAt(++i));
                out[at++] = (byte) (0xf0 | point >> 18);
                out[at++] = (byte) (0x80 | point >> 12 & 0x3f);
                out[at++] = (byte) (0x80 | point >> 6 & 0x3f);
                out[at++] = (byte) (0x80 | point & 0x3f);
            } else if (Character.isSurrogate(c)) {
                out[at++] = '?';
            } else {
                out[at++] = (byte) (0xe0 | c >> 12);
                out[at++] = (byte) (0x80 | c >> 6 & 0x3f);
                out[at++] = (byte) (0x80 | c & 0x3f);
            }
        }
        out[at++] = '"';
        size = at;
    }

    private void put(byte[] constant) {
        room(constant.length);
        System.arraycopy(constant, 0, bytes, size, constant.length);
        size += constant.length;
    }

    private void put(byte b) {
        room(1);
        bytes[size++] = b;
    }

    private void room(int more) {
        if (bytes.length - size < more) {
            bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, size + more));
        }
    }

    private static byte[] bytesOf(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
