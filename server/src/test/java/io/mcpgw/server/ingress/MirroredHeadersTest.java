package io.mcpgw.server.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.ErrorCode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import org.junit.jupiter.api.Test;

class MirroredHeadersTest {

    private static JsonNode json(String text) throws Exception {
        return JsonRpc.MAPPER.readTree(text);
    }

    private static HeaderMap headers(String... namesAndValues) {
        HeaderMap headers = new HeaderMap();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(new HttpString(namesAndValues[i]), namesAndValues[i + 1]);
        }
        return headers;
    }

    private static void assertMismatch(Runnable check) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(GatewayException.class,
                refused -> assertThat(refused.code()).isEqualTo(ErrorCode.HEADER_MISMATCH));
    }

    @Test
    void theBase64FormIsDecodedAndOnlyItsExactMarkersCount() {
        assertThat(MirroredHeaders.decode("Mcp-Name", "=?base64?SGVsbG8sIOS4lueVjA==?=")).isEqualTo("Hello, 世界");
        assertThat(MirroredHeaders.decode("Mcp-Name", "=?BASE64?SGk=?=")).as("the markers are case-sensitive").isEqualTo("=?BASE64?SGk=?=");
        assertThat(MirroredHeaders.decode("Mcp-Name", "plain name")).isEqualTo("plain name");
        assertMismatch(() -> MirroredHeaders.decode("Mcp-Name", "=?base64?!!!?="));
        assertMismatch(() -> MirroredHeaders.decode("Mcp-Name", "caf\u00e9"));
        assertMismatch(() -> MirroredHeaders.decode("Mcp-Name", "line\nbreak"));
    }

    @Test
    void onlyParametersReachedThroughPropertiesAreMirrored() throws Exception {
        ObjectNode tool = (ObjectNode) json("""
                {"name":"t","inputSchema":{"type":"object","properties":{
                  "top":{"type":"string","x-mcp-header":"Top"},
                  "nested":{"type":"object","properties":{"deep":{"type":"integer","x-mcp-header":"Deep"}}},
                  "listed":{"type":"array","items":{"type":"string","x-mcp-header":"Item"}},
                  "either":{"anyOf":[{"type":"string","x-mcp-header":"Either"}]}}}}""");
        JsonNode arguments = json("{\"top\":\"a\",\"nested\":{\"deep\":7},\"listed\":[\"x\"],\"either\":\"y\"}");
        MirroredHeaders.checkParams(headers("Mcp-Param-Top", "a", "Mcp-Param-Deep", "7"), tool, arguments);
        MirroredHeaders.checkParams(headers("Mcp-Param-Top", "a", "Mcp-Param-Deep", "7.0", "Mcp-Param-Item", "ignored"), tool, arguments);
        assertMismatch(() -> MirroredHeaders.checkParams(headers("Mcp-Param-Top", "a"), tool, arguments));
        assertMismatch(() -> MirroredHeaders.checkParams(headers("Mcp-Param-Top", "a", "Mcp-Param-Deep", "seven"), tool, arguments));
        MirroredHeaders.checkParams(headers(), tool, json("{\"top\":null}"));
    }

    @Test
    void theStandardHeadersFollowTheMethod() throws Exception {
        ObjectNode list = (ObjectNode) json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
        MirroredHeaders.checkStandard(headers("Mcp-Method", "tools/list"), list);
        MirroredHeaders.checkStandard(headers("Mcp-Method", "tools/list", "Mcp-Name", "anything"), list);
        assertMismatch(() -> MirroredHeaders.checkStandard(headers("Mcp-Method", "Tools/List"), list));
        ObjectNode read = (ObjectNode) json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/read\",\"params\":{\"uri\":\"file:///ü\"}}");
        MirroredHeaders.checkStandard(headers("Mcp-Method", "resources/read", "Mcp-Name", "=?base64?ZmlsZTovLy/DvA==?="), read);
        assertMismatch(() -> MirroredHeaders.checkStandard(headers("Mcp-Method", "resources/read"), read));
        MirroredHeaders.checkVersion("2026-07-28", "2026-07-28");
        assertMismatch(() -> MirroredHeaders.checkVersion(null, "2026-07-28"));
    }
}
