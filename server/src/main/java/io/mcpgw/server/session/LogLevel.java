package io.mcpgw.server.session;

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

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
