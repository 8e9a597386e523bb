package io.mcpgw.spi.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One audited fact. Fields that do not apply to an event are empty.
 *
 * @param id unique per event (a UUID); stores use it to write each event once
 * @param time when it happened
 * @param type what happened
 * @param tenant the caller's tenant
 * @param client the calling client
 * @param session the client session id
 * @param agent the agent the call came through
 * @param backend the backend id
 * @param tool the namespaced tool, prompt or resource
 * @param requestId the client's JSON-RPC request id
 * @param traceId the W3C trace id
 * @param outcome e.g. {@code allow}, {@code deny}, {@code ok}, {@code error}
 * @param errorCode the gateway error code, when the outcome is a failure
 * @param durationMicros how long it took, for completions
 * @param metadata further facts; arguments appear here only when configured, else redacted
 */
public record AuditEvent(
        String id,
        Instant time,
        AuditEventType type,
        Optional<String> tenant,
        Optional<String> client,
        Optional<String> session,
        Optional<String> agent,
        Optional<String> backend,
        Optional<String> tool,
        Optional<String> requestId,
        Optional<String> traceId,
        Optional<String> outcome,
        Optional<String> errorCode,
        Optional<Long> durationMicros,
        Map<String, String> metadata) {

    public AuditEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        metadata = Map.copyOf(metadata);
    }

    /**
     * The event as one line of JSON, the shape every built-in sink writes: {@code id}, {@code time} (ISO-8601),
     * {@code type} (its wire name), the fields that apply, then {@code metadata}. For plugins, which get no JSON
     * library from the gateway.
     */
    public String toJson() {
        StringBuilder json = new StringBuilder(256).append('{');
        field(json, "id", id);
        json.append(',');
        field(json, "time", time.toString());
        json.append(',');
        field(json, "type", type.wireName());
        optional(json, "tenant", tenant);
        optional(json, "client", client);
        optional(json, "session", session);
        optional(json, "agent", agent);
        optional(json, "backend", backend);
        optional(json, "tool", tool);
        optional(json, "requestId", requestId);
        optional(json, "traceId", traceId);
        optional(json, "outcome", outcome);
        optional(json, "errorCode", errorCode);
        durationMicros.ifPresent(micros -> json.append(",\"durationMicros\":").append(micros));
        if (!metadata.isEmpty()) {
            json.append(",\"metadata\":{");
            boolean first = true;
            for (Map.Entry<String, String> entry : metadata.entrySet()) {
                if (!first) {
                    json.append(',');
                }
                field(json, entry.getKey(), entry.getValue());
                first = false;
            }
            json.append('}');
        }
        return json.append('}').toString();
    }

    private static void optional(StringBuilder json, String name, Optional<String> value) {
        value.ifPresent(text -> field(json.append(','), name, text));
    }

    private static void field(StringBuilder json, String name, String value) {
        quoted(json, name).append(':');
        quoted(json, value);
    }

    private static StringBuilder quoted(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
