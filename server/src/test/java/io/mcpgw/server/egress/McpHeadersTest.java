package io.mcpgw.server.egress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The headers a modern request carries over Streamable HTTP, with the spec's own examples. */
class McpHeadersTest {

    private static ObjectNode json(String text) throws IOException {
        return (ObjectNode) JsonRpc.MAPPER.readTree(text);
    }

    private static final String SQL_TOOL = """
            {"name":"execute_sql","inputSchema":{"type":"object","properties":{
              "region":{"type":"string","x-mcp-header":"Region"},
              "query":{"type":"string"},
              "options":{"type":"object","properties":{"dryRun":{"type":"boolean","x-mcp-header":"Dry-Run"},
                                                       "limit":{"type":"integer","x-mcp-header":"Limit"}}}}}}""";

    @Test
    void aToolCallMirrorsItsMethodNameAndMarkedArguments() throws IOException {
        ObjectNode tool = json(SQL_TOOL);
        Map<String, String> headers = McpHeaders.of("tools/call", json("""
                {"name":"execute_sql","arguments":{"region":"us-west1","query":"SELECT 1","options":{"dryRun":true,"limit":42}}}"""),
                name -> name.equals("execute_sql") ? Optional.of(tool) : Optional.empty());
        assertThat(headers).containsExactlyInAnyOrderEntriesOf(Map.of("MCP-Protocol-Version", "2026-07-28", "Mcp-Method", "tools/call",
                "Mcp-Name", "execute_sql", "Mcp-Param-Region", "us-west1", "Mcp-Param-Dry-Run", "true", "Mcp-Param-Limit", "42"));
    }

    @Test
    void anAbsentOrNullArgumentHasNoHeader() throws IOException {
        ObjectNode tool = json(SQL_TOOL);
        Map<String, String> headers = McpHeaders.of("tools/call", json("""
                {"name":"execute_sql","arguments":{"region":null,"query":"SELECT 1"}}"""), name -> Optional.of(tool));
        assertThat(headers).doesNotContainKeys("Mcp-Param-Region", "Mcp-Param-Dry-Run", "Mcp-Param-Limit");
    }

    @Test
    void aResourceReadNamesItsUriAndAListNothing() throws IOException {
        assertThat(McpHeaders.of("resources/read", json("{\"uri\":\"file:///projects/myapp/config.json\"}"), ToolDefinitions.NONE))
                .containsEntry("Mcp-Name", "file:///projects/myapp/config.json");
        assertThat(McpHeaders.of("tools/list", json("{}"), ToolDefinitions.NONE)).doesNotContainKey("Mcp-Name")
                .containsEntry("Mcp-Method", "tools/list");
    }

    @Test
    void valuesThatAreNoPlainHeaderValueTravelInTheBase64SentinelForm() {
        assertThat(McpHeaders.encoded("us-west1")).isEqualTo("us-west1");
        assertThat(McpHeaders.encoded("Hello, 世界")).isEqualTo("=?base64?SGVsbG8sIOS4lueVjA==?=");
        assertThat(McpHeaders.encoded(" padded ")).isEqualTo("=?base64?IHBhZGRlZCA=?=");
        assertThat(McpHeaders.encoded("line1\nline2")).isEqualTo("=?base64?bGluZTEKbGluZTI=?=");
        assertThat(McpHeaders.encoded("=?base64?literal?=")).isEqualTo("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?=");
    }

    @Test
    void validMarksPassAndEachKindOfInvalidMarkIsNamed() throws IOException {
        assertThat(McpHeaders.invalidMarks(json(SQL_TOOL))).isEmpty();
        assertThat(McpHeaders.invalidMarks(json("""
                {"inputSchema":{"properties":{"ratio":{"type":"number","x-mcp-header":"Ratio"}}}}"""))).get().asString().contains("type 'number'");
        assertThat(McpHeaders.invalidMarks(json("""
                {"inputSchema":{"properties":{"a":{"type":"string","x-mcp-header":"Same"},"b":{"type":"string","x-mcp-header":"same"}}}}""")))
                .get().asString().contains("used twice");
        assertThat(McpHeaders.invalidMarks(json("""
                {"inputSchema":{"properties":{"a":{"type":"string","x-mcp-header":"Bad Name"}}}}"""))).get().asString().contains("token");
        assertThat(McpHeaders.invalidMarks(json("""
                {"inputSchema":{"properties":{"list":{"type":"array","items":{"type":"string","x-mcp-header":"Item"}}}}}""")))
                .get().asString().contains("not reached through properties");
        assertThat(McpHeaders.invalidMarks(json("""
                {"inputSchema":{"anyOf":[{"properties":{"a":{"type":"string","x-mcp-header":"A"}}}]}}""")))
                .get().asString().contains("not reached through properties");
    }
}
