package io.mcpgw.server.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingMcpBackend;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How large a stdio backend's message may be ({@code maxMessageBytes}), seen from a client. */
class StdioMessageSizeIT {

    @TempDir
    Path home;

    private TestingGateway gateway(String extraKeys) throws InterruptedException {
        return TestingGateway.start(home, """
                backends:
                  - id: sizes
                    transport: stdio
                    command: %s
                    requestTimeout: 30s
                %s""".formatted(JavaCommand.yaml(TestingMcpBackend.class, "--sizes"), extraKeys)).awaitReady(Duration.ofSeconds(60));
    }

    private static long pid(RawMcp client) {
        return Long.parseLong(client.call("sizes__pid", "{}").path("result").path("content").path(0).path("text").asText());
    }

    @Test
    void aLineOverTheDefault16MiBFailsTheCallInFlightAndTheChildIsReplaced() throws Exception {
        try (TestingGateway gateway = gateway("")) {
            RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
            long before = pid(client);

            JsonNode answer = client.call("sizes__flood", "{\"bytes\":" + (17 * 1024 * 1024) + "}");

            assertThat(answer.path("error").path("code").asInt()).as(answer.toString()).isEqualTo(-32010);
            assertThat(answer.path("error").path("message").asText())
                    .contains("backend 'sizes' sent a message longer than maxMessageBytes (16777216 bytes); its process was ended");
            await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(before).map(p -> !p.isAlive()).orElse(true));
            JsonNode next = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> client.call("sizes__pid", "{}"), reply -> reply.has("result"));
            assertThat(Long.parseLong(next.path("result").path("content").path(0).path("text").asText()))
                    .as("a new child serves the next call").isNotEqualTo(before);
        }
    }

    @Test
    void aReplyOverJacksonsDefaultStringLimitButUnderMaxMessageBytesReachesTheClient() throws Exception {
        int chars = 24_000_000;
        try (TestingGateway gateway = gateway("    maxMessageBytes: " + (32 * 1024 * 1024) + "\n")) {
            RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();

            JsonNode answer = client.call("sizes__large", "{\"chars\":" + chars + "}");

            String text = answer.path("result").path("content").path(0).path("text").asText();
            assertThat(text.length()).as(answer.path("error").toString()).isEqualTo(chars);
            assertThat(text.chars().allMatch(c -> c == 'x')).isTrue();
        }
    }
}
