package io.mcpgw.server.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.jsonrpc.GatewayException;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenFilterTest {

    private static JsonNode json(String text) throws IOException {
        return JsonRpc.MAPPER.readTree(text);
    }

    private static ObjectNode notification(String method, String uri) {
        ObjectNode params = JsonRpc.MAPPER.createObjectNode();
        if (uri != null) {
            params.put("uri", uri);
        }
        return JsonRpc.notification(method, params);
    }

    @Test
    void aStreamCarriesOnlyWhatItsClientOptedInTo() throws IOException {
        ListenFilter filter = ListenFilter.asked(json("""
                {"notifications":{"toolsListChanged":true,"promptsListChanged":false,"resourceSubscriptions":["a://1","a://1","a://2"]}}"""));
        assertThat(filter.resourceSubscriptions()).as("a URI asked twice is subscribed once").containsExactly("a://1", "a://2");
        assertThat(filter.admits(notification("notifications/tools/list_changed", null))).isTrue();
        assertThat(filter.admits(notification("notifications/prompts/list_changed", null))).isFalse();
        assertThat(filter.admits(notification("notifications/resources/list_changed", null))).isFalse();
        assertThat(filter.admits(notification("notifications/resources/updated", "a://2"))).isTrue();
        assertThat(filter.admits(notification("notifications/resources/updated", "a://3"))).isFalse();
        assertThat(filter.admits(notification("notifications/message", null))).as("log messages never go on a listen stream").isFalse();
        assertThat(filter.admits(notification("notifications/progress", null))).isFalse();

        ListenFilter honoured = filter.withResources(List.of("a://2"));
        assertThat(honoured.toJson().toString()).isEqualTo("{\"toolsListChanged\":true,\"resourceSubscriptions\":[\"a://2\"]}");
        assertThat(honoured.admits(notification("notifications/resources/updated", "a://1"))).as("a URI no backend took").isFalse();
        assertThat(ListenFilter.asked(json("{\"notifications\":{}}")).toJson().size()).isZero();
    }

    @Test
    void notificationsAndTheEndingResponseCarryTheSubscriptionId() {
        ObjectNode original = notification("notifications/resources/updated", "a://1");
        ObjectNode tagged = ListenFilter.tagged(original, IntNode.valueOf(5));
        assertThat(tagged.path("params").path("_meta").path(ListenFilter.SUBSCRIPTION_ID).asInt()).isEqualTo(5);
        assertThat(tagged.path("params").path("uri").asText()).isEqualTo("a://1");
        assertThat(original.path("params").has("_meta")).as("the message other listeners get is left as it was").isFalse();
        ObjectNode response = ListenFilter.tagged(JsonRpc.result(IntNode.valueOf(5), JsonRpc.MAPPER.createObjectNode()), IntNode.valueOf(5));
        assertThat(response.path("result").path("_meta").path(ListenFilter.SUBSCRIPTION_ID).asInt()).isEqualTo(5);
    }

    @Test
    void aMalformedFilterIsInvalidParams() {
        for (String params : List.of("{}", "{\"notifications\":true}", "{\"notifications\":{\"toolsListChanged\":\"yes\"}}",
                "{\"notifications\":{\"resourceSubscriptions\":\"a://1\"}}", "{\"notifications\":{\"resourceSubscriptions\":[1]}}",
                "{\"notifications\":{\"resourceSubscriptions\":[\"\"]}}")) {
            assertThatThrownBy(() -> ListenFilter.asked(json(params))).as(params).isInstanceOf(GatewayException.class)
                    .satisfies(thrown -> assertThat(((GatewayException) thrown).code().code()).isEqualTo(-32602));
        }
        StringBuilder many = new StringBuilder("{\"notifications\":{\"resourceSubscriptions\":[");
        for (int i = 0; i <= ListenFilter.MAX_RESOURCE_SUBSCRIPTIONS; i++) {
            many.append(i == 0 ? "" : ",").append("\"a://").append(i).append('"');
        }
        String tooMany = many.append("]}}").toString();
        assertThatThrownBy(() -> ListenFilter.asked(json(tooMany))).isInstanceOf(GatewayException.class).hasMessageContaining("at most 256");
    }
}
