package io.mcpgw.server.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What a request served outside any session says of its client, since no {@code initialize} did: the revision it
 * speaks, whether that is a modern one (2026-07-28: the client is sent nothing but its request's notifications and
 * answer, never a request), the capabilities it declares, the lowest log level it wants to hear about (none: it
 * hears no log messages), and the correlation it names for the halting limits that count across its requests.
 */
public record Sessionless(String protocolVersion, boolean modern, JsonNode clientCapabilities, Optional<LogLevel> logLevel,
        Optional<String> correlation) {

    /** A legacy {@code server.stateless} request: it hears every log message, as a session does before {@code logging/setLevel}. */
    public static Sessionless legacy(String protocolVersion, JsonNode clientCapabilities) {
        return new Sessionless(protocolVersion, false, clientCapabilities, Optional.of(LogLevel.DEBUG), Optional.empty());
    }
}
