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
import java.util.Optional;

/**
 * What a view offers as a client is told it (capabilities, server info, instructions): in the answer to
 * {@code initialize}, with the agreed revision, and in {@code server/discover}'s (see {@link DiscoverResult}).
 */
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
        result.set("capabilities", capabilities(view, false));
        result.set("serverInfo", serverInfo(view));
        instructions(view).ifPresent(instructions -> result.put("instructions", instructions));
        return new Negotiated(version, result);
    }

    /**
     * The capabilities the gateway serves at {@code view}: {@code listChanged} on its lists (a legacy session hears
     * of changes on its GET stream, a {@code modern} client (2026-07-28) on its {@code subscriptions/listen} stream),
     * {@code resources.subscribe} where a backend behind the view takes subscriptions. A modern client is offered no
     * core {@code tasks}: the tasks extension instead, where a backend behind the view runs tool calls as tasks.
     */
    public ObjectNode capabilities(View view, boolean modern) {
        ObjectNode capabilities = JsonRpc.MAPPER.createObjectNode();
        for (String capability : catalog.offeredCapabilities(view)) {
            ObjectNode offered = capabilities.putObject(capability);
            if (!capability.equals("completions") && !capability.equals("logging")) {
                offered.put("listChanged", true);
            }
        }
        if (catalog.backends(view).stream().anyMatch(backend -> backend.snapshot().capabilities().path("resources").path("subscribe").asBoolean())) {
            capabilities.withObjectProperty("resources").put("subscribe", true);
        }
        if (modern) {
            if (catalog.backends(view).stream().anyMatch(backend -> backend.snapshot().capabilities().path("tasks").path("requests")
                    .path("tools").has("call"))) {
                capabilities.withObjectProperty("extensions").putObject(TaskAugmentation.EXTENSION);
            }
            return capabilities;
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
        return capabilities;
    }

    /** Who answers at {@code view}: {@code mcpgw}, or {@code mcpgw/<id>} at one backend's endpoint. */
    public ObjectNode serverInfo(View view) {
        String name = view.single().map(backend -> "mcpgw/" + backend.id()).orElse("mcpgw");
        return JsonRpc.MAPPER.createObjectNode().put("name", name).put("version", GatewayVersion.full());
    }

    /** At one backend's endpoint, the instructions that backend gives. */
    public Optional<String> instructions(View view) {
        return view.single().map(backend -> backend.snapshot().initializeResult().path("instructions").textValue());
    }
}
