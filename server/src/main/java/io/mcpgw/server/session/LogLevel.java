package io.mcpgw.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;

/** MCP's log severities (RFC 5424), least severe first. */
public enum LogLevel {
    DEBUG,
    INFO,
    NOTICE,
    WARNING,
    ERROR,
    CRITICAL,
    ALERT,
    EMERGENCY;

    public static Optional<LogLevel> parse(String name) {
        for (LogLevel level : values()) {
            if (level.wireName().equals(name)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }

    /** The severity of a {@code notifications/message}; one it does not name counts as the most severe, so every client sees it. */
    public static LogLevel of(JsonNode logMessage) {
        return parse(logMessage.path("params").path("level").asText()).orElse(EMERGENCY);
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
