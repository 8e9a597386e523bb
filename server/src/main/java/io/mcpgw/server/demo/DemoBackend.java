package io.mcpgw.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.GatewayVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The demo backend the default configuration runs: a small MCP server on stdio with three tools ({@code echo},
 * {@code add}, {@code time}), one resource ({@code demo://greeting}) and one prompt ({@code greet}). The greeting
 * comes from {@code DEMO_GREETING}.
 */
public final class DemoBackend {

    static final List<String> PROTOCOL_VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String greeting;
    private final PrintStream out;

    DemoBackend(String greeting, PrintStream out) {
        this.greeting = greeting;
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        String greeting = System.getenv().getOrDefault("DEMO_GREETING", "hello");
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        new DemoBackend(greeting, out).serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
    }

    void serve(BufferedReader in) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode message;
            try {
                message = JSON.readTree(line);
            } catch (IOException e) {
                reply(JsonRpc.error(JSON.nullNode(), -32700, "Parse error"));
                continue;
            }
            if (message.has("method") && message.has("id")) {
                reply(answer(message));
            }
        }
    }

    private ObjectNode answer(JsonNode request) {
        JsonNode id = request.get("id");
        JsonNode params = request.path("params");
        return switch (request.path("method").asText()) {
            case "initialize" -> JsonRpc.result(id, initialize(params));
            case "ping" -> JsonRpc.result(id, JSON.createObjectNode());
            case "tools/list" -> JsonRpc.result(id, tools());
            case "tools/call" -> callTool(id, params);
            case "resources/list" -> JsonRpc.result(id, resources());
            case "resources/read" -> readResource(id, params);
            case "resources/templates/list" -> JsonRpc.result(id, JSON.createObjectNode().set("resourceTemplates", JSON.createArrayNode()));
            case "prompts/list" -> JsonRpc.result(id, prompts());
            case "prompts/get" -> getPrompt(id, params);
            default -> JsonRpc.error(id, -32601, "Method not found: " + request.path("method").asText());
        };
    }

    private ObjectNode initialize(JsonNode params) {
        String requested = params.path("protocolVersion").asText();
        ObjectNode result = JSON.createObjectNode()
                .put("protocolVersion", PROTOCOL_VERSIONS.contains(requested) ? requested : PROTOCOL_VERSIONS.getFirst());
        ObjectNode capabilities = result.putObject("capabilities");
        capabilities.putObject("tools");
        capabilities.putObject("resources");
        capabilities.putObject("prompts");
        result.putObject("serverInfo").put("name", "mcpgw-demo").put("version", GatewayVersion.full());
        result.put("instructions", "A demo backend: echo text, add numbers, tell the time.");
        return result;
    }

    private ObjectNode tools() {
        ObjectNode result = JSON.createObjectNode();
        ArrayNode tools = result.putArray("tools");
        tools.add(tool("echo", "Returns the text it is given.", schema("text", "string")));
        ObjectNode addSchema = schema("a", "number");
        ((ObjectNode) addSchema.get("properties")).putObject("b").put("type", "number");
        ((ArrayNode) addSchema.get("required")).add("b");
        tools.add(tool("add", "Adds two numbers.", addSchema));
        tools.add(tool("time", "Tells the current time (UTC, ISO-8601).",
                JSON.createObjectNode().put("type", "object")));
        return result;
    }

    private ObjectNode callTool(JsonNode id, JsonNode params) {
        JsonNode arguments = params.path("arguments");
        return switch (params.path("name").asText()) {
            case "echo" -> arguments.path("text").isTextual()
                    ? JsonRpc.result(id, text(arguments.get("text").asText(), false))
                    : JsonRpc.result(id, text("echo needs a 'text' string", true));
            case "add" -> arguments.path("a").isNumber() && arguments.path("b").isNumber()
                    ? JsonRpc.result(id, text(arguments.get("a").decimalValue().add(arguments.get("b").decimalValue())
                            .stripTrailingZeros().toPlainString(), false))
                    : JsonRpc.result(id, text("add needs numbers 'a' and 'b'", true));
            case "time" -> JsonRpc.result(id, text(Instant.now().toString(), false));
            default -> JsonRpc.error(id, -32602, "Unknown tool: " + params.path("name").asText());
        };
    }

    private ObjectNode resources() {
        ObjectNode result = JSON.createObjectNode();
        result.putArray("resources").addObject()
                .put("uri", "demo://greeting")
                .put("name", "greeting")
                .put("description", "The greeting this backend was configured with (DEMO_GREETING).")
                .put("mimeType", "text/plain");
        return result;
    }

    private ObjectNode readResource(JsonNode id, JsonNode params) {
        if (!"demo://greeting".equals(params.path("uri").asText())) {
            return JsonRpc.error(id, -32002, "Resource not found: " + params.path("uri").asText());
        }
        ObjectNode result = JSON.createObjectNode();
        result.putArray("contents").addObject()
                .put("uri", "demo://greeting")
                .put("mimeType", "text/plain")
                .put("text", greeting);
        return JsonRpc.result(id, result);
    }

    private ObjectNode prompts() {
        ObjectNode result = JSON.createObjectNode();
        ObjectNode prompt = result.putArray("prompts").addObject()
                .put("name", "greet")
                .put("description", "Greets someone by name.");
        prompt.putArray("arguments").addObject().put("name", "name").put("required", true);
        return result;
    }

    private ObjectNode getPrompt(JsonNode id, JsonNode params) {
        if (!"greet".equals(params.path("name").asText())) {
            return JsonRpc.error(id, -32602, "Unknown prompt: " + params.path("name").asText());
        }
        String name = params.path("arguments").path("name").asText("there");
        ObjectNode result = JSON.createObjectNode().put("description", "A greeting");
        ObjectNode message = result.putArray("messages").addObject().put("role", "user");
        message.putObject("content").put("type", "text").put("text", "Say " + greeting + " to " + name + ".");
        return JsonRpc.result(id, result);
    }

    private static ObjectNode tool(String name, String description, ObjectNode inputSchema) {
        ObjectNode tool = JSON.createObjectNode().put("name", name).put("description", description);
        tool.set("inputSchema", inputSchema);
        return tool;
    }

    private static ObjectNode schema(String property, String type) {
        ObjectNode schema = JSON.createObjectNode().put("type", "object");
        schema.putObject("properties").putObject(property).put("type", type);
        schema.putArray("required").add(property);
        return schema;
    }

    private static ObjectNode text(String text, boolean isError) {
        ObjectNode result = JSON.createObjectNode();
        result.putArray("content").addObject().put("type", "text").put("text", text);
        return result.put("isError", isError);
    }


    private void reply(ObjectNode response) {
        out.println(response.toString());
        out.flush();
    }
}
