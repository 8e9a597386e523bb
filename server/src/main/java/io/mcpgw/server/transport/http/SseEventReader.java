package io.mcpgw.server.transport.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code text/event-stream} into events, with the fields MCP uses: the event name, its data, and the last
 * event id and {@code retry} seen (which a priming event without data also sets).
 */
final class SseEventReader {

    /** One event with data; {@code name} is {@code message} unless the event named itself. */
    record Event(String name, String data) {}

    private final BufferedReader reader;
    private String lastEventId;
    private long retryMillis = -1;

    SseEventReader(InputStream in) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next event that carries data; null when the stream ends. */
    Event next() throws IOException {
        String name = "message";
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    return new Event(name, data.toString());
                }
                name = "message";
            } else if (line.startsWith("data:")) {
                data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
            } else if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("id:")) {
                lastEventId = line.substring(3).trim();
            } else if (line.startsWith("retry:")) {
                try {
                    retryMillis = Long.parseLong(line.substring(6).trim());
                } catch (NumberFormatException ignored) {
                    // a malformed retry is ignored, as the SSE spec says
                }
            }
        }
        return null;
    }

    /** The id of the last event that had one, or {@code fallback}. */
    String lastEventId(String fallback) {
        return lastEventId != null ? lastEventId : fallback;
    }

    /** The last {@code retry} the stream asked for, or {@code fallback}. */
    long retryMillis(long fallback) {
        return retryMillis >= 0 ? retryMillis : fallback;
    }
}
