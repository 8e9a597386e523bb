package io.mcpgw.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpgw.server.Gateway;
import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.ConfigException;
import io.mcpgw.server.config.ConfigLoader;
import io.mcpgw.server.config.McpgwConfig;
import io.mcpgw.server.config.StartupException;
import io.mcpgw.server.demo.DemoBackend;
import io.mcpgw.server.egress.BackendStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY = Duration.ofSeconds(30);

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void demoBackendComesUpAndTheGatewayIsReady() throws Exception {
        try (TestingGateway gateway = TestingConfig.gateway().backend(TestingBackendConfig.stdio("demo", DemoBackend.class)).start(home).awaitReady(READY)) {
            HttpResponse<String> live = get(gateway.baseUri(), "/healthz");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(live.body()).path("status").asText()).isEqualTo("up");

            HttpResponse<String> ready = get(gateway.baseUri(), "/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(ready.body());
            assertThat(body.path("status").asText()).isEqualTo("ready");
            assertThat(body.path("backends").path("demo").asText()).isEqualTo("up");
            assertThat(gateway.gateway().backends().get("demo").detail()).startsWith("mcpgw-demo ");
        }
    }

    @Test
    void failedBackendIsReportedWhileTheOthersServe() throws Exception {
        try (TestingGateway gateway = TestingConfig.gateway().backend(TestingBackendConfig.stdio("demo", DemoBackend.class))
                .backend(TestingBackendConfig.command("broken", List.of("sh", "-c", "echo 'no config' >&2; exit 2")))
                .start(home).awaitReady(READY)) {
            JsonNode body = JSON.readTree(get(gateway.baseUri(), "/readyz").body());
            assertThat(body.path("status").asText()).isEqualTo("ready");
            assertThat(body.path("backends").path("demo").asText()).isEqualTo("up");
            assertThat(body.path("backends").path("broken").asText()).isEqualTo("failed");
            assertThat(gateway.gateway().backends().get("broken"))
                    .isEqualTo(new BackendStatus(BackendStatus.State.FAILED, "backend 'broken' process exited with code 2"));
        }
    }

    @Test
    void notReadyWhileABackendIsStillStarting() throws Exception {
        try (TestingGateway gateway = TestingGateway.start(home, """
                backends:
                  - id: silent
                    transport: stdio
                    startupTimeout: 2s
                    command: ["sh", "-c", "sleep 60"]
                """)) {
            HttpResponse<String> starting = get(gateway.baseUri(), "/readyz");
            assertThat(starting.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(starting.body()).path("backends").path("silent").asText()).isEqualTo("starting");

            gateway.awaitReady(READY);
            assertThat(get(gateway.baseUri(), "/readyz").statusCode()).isEqualTo(200);
            assertThat(gateway.gateway().backends().get("silent").detail()).isEqualTo("no answer to server/discover or initialize within 2000 ms");
        }
    }

    @Test
    void healthEndpointsAnswerOnlyGetAndHead() throws Exception {
        try (TestingGateway gateway = TestingGateway.start(home, "")) {
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(gateway.baseUri().resolve("/healthz"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
            assertThat(get(gateway.baseUri(), "/nothing-here").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void transportConfigurationIsCheckedWhenTheGatewayIsAssembled() {
        assertThatThrownBy(() -> TestingGateway.start(home, """
                backends:
                  - id: demo
                    transport: stdio
                    comand: ["x"]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(home.resolve("mcpgw.yaml") + ": backends[0].comand: unknown key 'comand'; did you mean 'command'?");
        assertThatThrownBy(() -> TestingGateway.start(home, """
                backends:
                  - id: demo
                    transport: stdio
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage(home.resolve("mcpgw.yaml") + ": backends[0].command: required value is missing (the program to run, as a list)");
    }

    @Test
    void portInUseIsAClearStartupError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String yaml = "server:\n  port: " + taken.getLocalPort() + "\n";
            // TestingGateway always picks a free port, so go through the Gateway itself.
            McpgwConfig config = new ConfigLoader(System::getenv).parse(yaml, "test configuration");
            Gateway gateway = Gateway.assemble(config, new InstallPaths(home), Clock.systemUTC());
            assertThatThrownBy(gateway::start)
                    .isInstanceOf(StartupException.class)
                    .hasMessageStartingWith("http listener failed to start: cannot listen on 127.0.0.1:" + taken.getLocalPort());
            gateway.close();
        }
    }
}
