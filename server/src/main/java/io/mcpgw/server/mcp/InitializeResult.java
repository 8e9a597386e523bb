package io.mcpgw.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.GatewayVersion;
import io.mcpgw.server.catalog.Catalog;
import io.mcpgw.server.catalog.View;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.util.List;

/** The answer to {@code initialize}: the agreed revision, and what a view offers (capabilities, server info, instructions). */
@Singleton
public final class InitializeResult {

    private final Catalog catalog;

    @Inject
    InitializeResult(Catalog catalog) {
        this.catalog = catalog;
    }

    /** The negotiated revision and the {@code initialize} result. */
    public record Negotiated(String protocolVersion, ObjectNode result) {}

    /** Negotiates the revision among {@code supported} (newest first) and describes what {@code view} offers. */
    public Negotiated negotiate(View view, JsonNode params, List<String> supported) {
        String version = ProtocolVersions.negotiate(params.path("protocolVersion").asText(""), supported);
        ObjectNode result = JsonRpc.MAPPER.createObjectNode().put("protocolVersion", version);
        ObjectNode capabilities = result.putObject("capabilities");
        for (String capability : catalog.offeredCapabilities(view)) {
            ObjectNode offered = capabilities.putObject(capability);
            if (!capability.equals("completions") && !capability.equals("logging")) {
                offered.put("listChanged", true);
            }
        }
        if (catalog.backends(view).stream().anyMatch(backend -> backend.snapshot().capabilities().path("resources").path("subscribe").asBoolean())) {
            capabilities.withObjectProperty("resources").put("subscribe", true);
        }
        List<JsonNode> taskCapabilities = catalog.backends(view).stream().map(backend -> backend.snapshot().capabilities().path("tasks"))
                .filter(JsonNode::isObject).toList();
        if (!taskCapabilities.isEmpty()) {
            // list and cancel are the gateway's own; task-augmented calls go through where a backend takes them
            ObjectNode tasks = capabilities.putObject("tasks");
            tasks.putObject("list");
            tasks.putObject("cancel");
            if (taskCapabilities.stream().anyMatch(offered -> offered.path("requests").path("tools").has("call"))) {
                tasks.putObject("requests").putObject("tools").putObject("call");
            }
        }
        String name = view.single().map(backend -> "mcpgw/" + backend.id()).orElse("mcpgw");
        result.putObject("serverInfo").put("name", name).put("version", GatewayVersion.full());
        view.single().map(backend -> backend.snapshot().initializeResult().path("instructions").textValue())
                .ifPresent(instructions -> result.put("instructions", instructions));
        return new Negotiated(version, result);
    }
}
