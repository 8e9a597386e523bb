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
}
