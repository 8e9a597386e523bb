package io.mcpgw.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void valuesOfEnvAndHeadersAndSecretKeysAreHiddenAndEverythingElseShown() throws Exception {
        JsonNode definition = JsonRpc.MAPPER.readTree("""
                {"id":"github","transport":"http","url":"https://api.example/mcp",
                 "env":{"GITHUB_TOKEN":"ghp_secret","LOG_LEVEL":"debug"},
                 "headers":{"Authorization":"Bearer abc"},
                 "policy":[{"type":"opa","url":"http://opa","clientSecret":"s3cret","apiKey":"k","timeout":"1s"}]}""");

        JsonNode shown = Redaction.redact(definition);

        assertThat(shown.toString()).doesNotContain("ghp_secret", "debug", "Bearer abc", "s3cret", "\"k\"");
        assertThat(shown.path("env").path("GITHUB_TOKEN").asText()).isEqualTo("<redacted>");
        assertThat(shown.path("env").path("LOG_LEVEL").asText()).as("names stay, values go").isEqualTo("<redacted>");
        assertThat(shown.path("headers").path("Authorization").asText()).isEqualTo("<redacted>");
        assertThat(shown.path("policy").path(0).path("clientSecret").asText()).isEqualTo("<redacted>");
        assertThat(shown.path("policy").path(0).path("apiKey").asText()).isEqualTo("<redacted>");
        assertThat(shown.path("policy").path(0).path("timeout").asText()).isEqualTo("1s");
        assertThat(shown.path("url").asText()).isEqualTo("https://api.example/mcp");
        assertThat(definition.path("env").path("GITHUB_TOKEN").asText()).as("the original is untouched").isEqualTo("ghp_secret");
    }

    @Test
    void onlySecretValuesAreHiddenNotCountsOrModesWhoseKeysSoundLikeSecrets() throws Exception {
        JsonNode definition = JsonRpc.MAPPER.readTree("""
                {"id":"github","credentials":"required","sampling":{"maxTokens":1000},
                 "auth":{"method":"approle","roleId":"r-1","secretId":"s-1","token":"t-1","api_key":"a-1","password":"p-1",
                         "privateKey":"k-1","tokenFile":"/run/token"}}""");

        JsonNode shown = Redaction.redact(definition);

        assertThat(shown.path("credentials").asText()).as("a backend's credentials mode").isEqualTo("required");
        assertThat(shown.path("sampling").path("maxTokens").asInt()).isEqualTo(1000);
        assertThat(shown.path("auth").path("method").asText()).isEqualTo("approle");
        assertThat(shown.path("auth").path("roleId").asText()).isEqualTo("r-1");
        for (String secret : new String[] {"secretId", "token", "api_key", "password", "privateKey"}) {
            assertThat(shown.path("auth").path(secret).asText()).as(secret).isEqualTo("<redacted>");
        }
        assertThat(shown.toString()).doesNotContain("s-1", "t-1", "a-1", "p-1", "k-1");
    }
}
