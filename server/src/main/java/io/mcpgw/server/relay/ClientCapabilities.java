package io.mcpgw.server.relay;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Whether a client declared what a backend's request needs of it (MCP 2025-11-25 client capabilities). */
final class ClientCapabilities {

    private ClientCapabilities() {}

    /** The capability the request needs and the client lacks, e.g. {@code sampling} or {@code elicitation.url}. */
    static Optional<String> missingFor(JsonNode capabilities, JsonNode request) {
        JsonNode params = request.path("params");
        return switch (request.path("method").asText()) {
            case "sampling/createMessage" -> {
                if (!capabilities.has("sampling")) {
                    yield Optional.of("sampling");
                }
                yield params.has("tools") && !capabilities.path("sampling").has("tools") ? Optional.of("sampling.tools") : Optional.empty();
            }
            case "elicitation/create" -> {
                if (!capabilities.has("elicitation")) {
                    yield Optional.of("elicitation");
                }
                JsonNode elicitation = capabilities.path("elicitation");
                boolean url = "url".equals(params.path("mode").asText());
                if (url) {
                    yield elicitation.has("url") ? Optional.empty() : Optional.of("elicitation.url");
                }
                // An empty elicitation capability means form mode (the 2025-06-18 shape).
                yield elicitation.isEmpty() || elicitation.has("form") ? Optional.empty() : Optional.of("elicitation.form");
            }
            case "roots/list" -> capabilities.has("roots") ? Optional.empty() : Optional.of("roots");
            default -> Optional.empty();
        };
    }
}
