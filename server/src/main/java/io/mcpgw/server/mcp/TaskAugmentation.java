package io.mcpgw.server.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import io.mcpgw.server.catalog.Catalog;
import io.mcpgw.server.egress.ListKind;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.jsonrpc.Params;
import io.mcpgw.server.session.ClientSession;

/**
 * Whether a 2026-07-28 client's {@code tools/call} runs as a task at a 2025-11-25 backend, which runs one only when
 * asked ({@code task} in the params) and only for a tool whose {@code execution.taskSupport} allows it. The gateway
 * decides, as the tasks extension has the server do: the client's own {@code task} is ignored; a client that declares
 * the extension gets a task for every tool that can run as one; one that does not gets the ordinary result, the
 * gateway waiting on the task itself where the tool requires one. The extension's methods are for clients that
 * declare it.
 */
@Singleton
public final class TaskAugmentation {

    /** The extension's identifier, in {@code capabilities.extensions}. */
    public static final String EXTENSION = "io.modelcontextprotocol/tasks";

    /** The params to send, and whether the gateway must wait on the task they make for the call's answer. */
    public record Plan(JsonNode params, boolean awaited) {}

    private final Catalog catalog;

    @Inject
    TaskAugmentation(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Whether a client's (per-request) capabilities declare the tasks extension. */
    public static boolean declared(JsonNode clientCapabilities) {
        return clientCapabilities.path("extensions").path(EXTENSION).isObject();
    }

    /** {@code -32021} naming the extension, unless the request's client capabilities declare it. */
    public static void requireDeclared(JsonNode clientCapabilities) {
        if (declared(clientCapabilities)) {
            return;
        }
        ObjectNode data = JsonRpc.MAPPER.createObjectNode();
        data.putObject("requiredCapabilities").putObject("extensions").putObject(EXTENSION);
        throw new GatewayException(ErrorCode.MISSING_CLIENT_CAPABILITY, "Missing required client capability: extensions[\"" + EXTENSION
                + "\"] (the tasks methods are the tasks extension's)", data);
    }

    /** How the modern {@code session}'s {@code tools/call} with {@code params} goes to its backend. */
    public Plan plan(ClientSession session, JsonNode params) {
        ObjectNode forwarded = Params.shallowCopy(Params.object(params));
        forwarded.remove("task");
        String name = Params.text(params, "name");
        String support = catalog.list(session.view(), ListKind.TOOLS).stream().filter(tool -> tool.path("name").asText().equals(name))
                .findFirst().map(tool -> tool.path("execution").path("taskSupport").asText("forbidden")).orElse("forbidden");
        boolean taskable = support.equals("optional") || support.equals("required");
        boolean declared = declared(session.clientCapabilities());
        if (taskable && (declared || support.equals("required"))) {
            forwarded.putObject("task");
            return new Plan(forwarded, !declared);
        }
        return new Plan(forwarded, false);
    }
}
