package io.mcpgw.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditEventType;
import io.mcpgw.spi.identity.Identity;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Builds an {@link AuditEvent} from what the gateway knows where it happens. */
public final class AuditEventBuilder {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The first half of every id this process gives: drawn once, with version 4's bits. */
    private static final long PROCESS_BITS = RANDOM.nextLong() & 0xffffffffffff0fffL | 0x0000000000004000L;
    private static final AtomicLong EVENTS = new AtomicLong(RANDOM.nextLong());

    private final AuditEventType type;
    private Optional<String> tenant = Optional.empty();
    private Optional<String> client = Optional.empty();
    private Optional<String> session = Optional.empty();
    private Optional<String> agent = Optional.empty();
    private Optional<String> backend = Optional.empty();
    private Optional<String> tool = Optional.empty();
    private Optional<String> requestId = Optional.empty();
    private Optional<String> outcome = Optional.empty();
    private Optional<String> errorCode = Optional.empty();
    private Optional<Long> durationMicros = Optional.empty();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private AuditEventBuilder(AuditEventType type) {
        this.type = type;
    }

    public static AuditEventBuilder event(AuditEventType type) {
        return new AuditEventBuilder(type);
    }

    public AuditEventBuilder principal(Identity principal) {
        this.tenant = Optional.of(principal.tenant());
        this.client = Optional.of(principal.client());
        return this;
    }

    public AuditEventBuilder sessionId(String id) {
        this.session = Optional.of(id);
        return this;
    }

    /** The agent whose view the session sees. */
    public AuditEventBuilder agent(String name) {
        this.agent = Optional.of(name);
        return this;
    }

    public AuditEventBuilder backend(String backendId) {
        this.backend = Optional.of(backendId);
        return this;
    }

    public AuditEventBuilder tool(String name) {
        this.tool = Optional.of(name);
        return this;
    }

    public AuditEventBuilder requestId(JsonNode id) {
        this.requestId = id == null || id.isNull() ? Optional.empty() : Optional.of(id.asText());
        return this;
    }

    public AuditEventBuilder outcome(String value) {
        this.outcome = Optional.of(value);
        return this;
    }

    public AuditEventBuilder errorCode(int code) {
        this.errorCode = Optional.of(Integer.toString(code));
        return this;
    }

    public AuditEventBuilder durationMicros(long micros) {
        this.durationMicros = Optional.of(micros);
        return this;
    }

    public AuditEventBuilder meta(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** The event, with a new id (a UUID) and the time now. */
    public AuditEvent build() {
        return new AuditEvent(nextId(), Instant.now(), type, tenant, client, session, agent, backend,
                tool, requestId, Optional.empty(), outcome, errorCode, durationMicros, metadata);
    }

    /**
     * A UUID (version 4's layout) unique per event without a secure random draw for each: its first half is drawn once
     * per process, its second counts from a random start. Two processes share ids only if their 60 drawn bits match.
     */
    private static String nextId() {
        long count = EVENTS.getAndIncrement();
        return new UUID(PROCESS_BITS, count & 0x3fffffffffffffffL | 0x8000000000000000L).toString();
    }
}
