package io.mcpgw.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.spi.audit.AuditEvent;
import io.mcpgw.spi.audit.AuditEventType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** An audit event as one JSON object, as the built-in sinks write it and the spool keeps it: absent fields left out. */
public final class AuditEventJson {

    private AuditEventJson() {}

    public static ObjectNode write(AuditEvent event) {
        ObjectNode json = JsonRpc.MAPPER.createObjectNode()
                .put("id", event.id())
                .put("time", event.time().toString())
                .put("type", event.type().wireName());
        event.tenant().ifPresent(value -> json.put("tenant", value));
        event.client().ifPresent(value -> json.put("client", value));
        event.session().ifPresent(value -> json.put("session", value));
        event.agent().ifPresent(value -> json.put("agent", value));
        event.backend().ifPresent(value -> json.put("backend", value));
        event.tool().ifPresent(value -> json.put("tool", value));
        event.requestId().ifPresent(value -> json.put("requestId", value));
        event.traceId().ifPresent(value -> json.put("traceId", value));
        event.outcome().ifPresent(value -> json.put("outcome", value));
        event.errorCode().ifPresent(value -> json.put("errorCode", value));
        event.durationMicros().ifPresent(value -> json.put("durationMicros", value));
        if (!event.metadata().isEmpty()) {
            ObjectNode metadata = json.putObject("metadata");
            event.metadata().forEach(metadata::put);
        }
        return json;
    }

    public static AuditEvent read(JsonNode json) {
        Map<String, String> metadata = new LinkedHashMap<>();
        json.path("metadata").properties().forEach(entry -> metadata.put(entry.getKey(), entry.getValue().asText()));
        return new AuditEvent(json.path("id").asText(), Instant.parse(json.path("time").asText()),
                AuditEventType.valueOf(json.path("type").asText().toUpperCase(java.util.Locale.ROOT)),
                text(json, "tenant"), text(json, "client"), text(json, "session"), text(json, "agent"), text(json, "backend"),
                text(json, "tool"), text(json, "requestId"), text(json, "traceId"), text(json, "outcome"), text(json, "errorCode"),
                optional(json, "durationMicros", JsonNode::asLong), metadata);
    }

    private static Optional<String> text(JsonNode json, String field) {
        return optional(json, field, JsonNode::asText);
    }

    private static <T> Optional<T> optional(JsonNode json, String field, Function<JsonNode, T> read) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(read.apply(value));
    }
}
