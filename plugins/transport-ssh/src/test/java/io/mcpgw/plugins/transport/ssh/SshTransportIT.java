package io.mcpgw.plugins.transport.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpgw.server.config.ExtensionSection;
import io.mcpgw.server.demo.DemoBackend;
import io.mcpgw.server.jsonrpc.JsonRpc;
import io.mcpgw.server.plugin.ExtensionKind;
import io.mcpgw.server.plugin.HostExtensionContext;
import io.mcpgw.server.plugin.RegisteredFactory;
import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;
import io.mcpgw.spi.transport.NotDeliveredException;
import io.mcpgw.testkit.AdminClient;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.NpmPeers;
import io.mcpgw.testkit.RawMcp;
import io.mcpgw.testkit.TestingClock;
import io.mcpgw.testkit.TestingGateway;
import io.mcpgw.testkit.TestingMcpBackend;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.server.Signal;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transport against Apache MINA SSHD's server on 127.0.0.1, directly and as the built plugin in a real gateway. */
class SshTransportIT {

    private static final int CLIENTS = 6;
    private static final String ADMIN_TOKEN = "ssh-admin-token-0123456789abcdef";

    @TempDir
    Path home;

    private final TestingClock clock = new TestingClock(Instant.parse("2026-01-01T00:00:00Z"));

    /** A known_hosts file with {@code server}'s own host key. */
    private Path knownHosts(TestingSshServer server) {
        return TestingSshServer.write(home.resolve("known_hosts-" + server.port()), server.knownHostsLine(server.hostKey().getPublic()));
    }

    private Path identity(KeyPair key, String name) {
        return TestingSshServer.write(home.resolve(name), TestingSshServer.openSshPrivateKey(key));
    }

    private BackendTransport transport(ObjectNode settings) {
        SshTransportFactory factory = new SshTransportFactory();
        ExtensionSection section = new ExtensionSection("test", "backends[0]", factory.name(), settings);
        return factory.create(new HostExtensionContext(section, new RegisteredFactory(ExtensionKind.TRANSPORT, factory, "test"), clock,
                home, "test"));
    }

    private ObjectNode settings(TestingSshServer server, Path knownHosts, Path identity) {
        ObjectNode settings = JsonRpc.MAPPER.createObjectNode().put("host", "127.0.0.1").put("port", server.port())
                .put("user", TestingSshServer.USER).put("knownHosts", knownHosts.toString());
        if (identity != null) {
            settings.put("identityFile", identity.toString());
        }
        JavaCommand.of(TestingMcpBackend.class).forEach(settings.putArray("command")::add);
        return settings;
    }

    private static String yamlBackend(String id, TestingSshServer server, Path knownHosts, Path identity, String command, String more) {
        return """
                  - id: %s
                    transport: ssh
                    host: 127.0.0.1
                    port: %d
                    user: mcp
                    knownHosts: '%s'
                %s    command: %s
                %s""".formatted(id, server.port(), knownHosts, identity == null ? "" : "    identityFile: '" + identity + "'\n", command,
                more.indent(4));
    }

    private static String text(JsonNode answer) {
        return answer.path("result").path("content").path(0).path("text").asText();
    }

    @Test
    void theDemoBackendAnswersOverSshWithEd25519EcdsaAndRsaKeys() throws Exception {
        Map<String, KeyPair> hostKeys = Map.of("ed25519", TestingSshServer.ed25519(), "ecdsa", TestingSshServer.ecdsa(),
                "rsa", TestingSshServer.rsa());
        List<TestingSshServer> servers = new ArrayList<>();
        StringBuilder backends = new StringBuilder("backends:\n");
        try {
            for (String type : List.of("ed25519", "ecdsa", "rsa")) {
                TestingSshServer server = new TestingSshServer(hostKeys.get(type));
                servers.add(server);
                KeyPair user = type.equals("ed25519") ? TestingSshServer.ed25519() : type.equals("ecdsa") ? TestingSshServer.ecdsa()
                        : TestingSshServer.rsa();
                server.authorize(user.getPublic());
                backends.append(yamlBackend(type, server, knownHosts(server), identity(user, "id_" + type),
                        JavaCommand.yaml(DemoBackend.class), ""));
            }
            TestingGateway.installBuiltPlugin(home);
            try (TestingGateway gateway = TestingGateway.start(home, backends.toString()).awaitReady(Duration.ofSeconds(60))) {
                RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
                for (String type : List.of("ed25519", "ecdsa", "rsa")) {
                    JsonNode answer = client.call(type + "__echo", "{\"text\":\"over " + type + "\"}");
                    assertThat(text(answer)).as(answer.toString()).isEqualTo("over " + type);
                }
                JsonNode tools = client.request("tools/list", "{}");
                assertThat(tools.path("result").path("tools").findValuesAsText("name")).contains("ed25519__add", "ecdsa__time", "rsa__echo");
            }
            for (TestingSshServer server : servers) {
                assertThat(server.processes()).as("the remote commands ran as real processes").isNotEmpty();
                for (Process process : server.processes()) {
                    assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("closing the gateway ends the remote command").isTrue();
                }
            }
        } finally {
            for (TestingSshServer server : servers) {
                server.close();
            }
        }
    }

    @Test
    void serverEverythingRunsAsTheRemoteCommand() throws Exception {
        Optional<Path> everything = NpmPeers.everythingServer();
        if (everything.isEmpty()) {
            if (NpmPeers.required()) {
                fail("CI=true but node or @modelcontextprotocol/server-everything is missing (testkit/npm)");
            }
            Assumptions.abort("node or server-everything is not installed here; this runs wherever they are, and always under CI");
        }
        KeyPair user = TestingSshServer.ed25519();
        try (TestingSshServer server = new TestingSshServer(TestingSshServer.ed25519()).authorize(user.getPublic())) {
            TestingGateway.installBuiltPlugin(home);
            String backends = "backends:\n" + yamlBackend("everything", server, knownHosts(server), identity(user, "id"),
                    "['%s', '%s', 'stdio']".formatted(NpmPeers.node().orElseThrow(), everything.get()),
                    "maxProcesses: 2   # the gateway's own session and the client's\n");
            try (TestingGateway gateway = TestingGateway.start(home, backends).awaitReady(Duration.ofSeconds(60))) {
                RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
                JsonNode tools = client.request("tools/list", "{}");
                assertThat(tools.path("result").path("tools").findValuesAsText("name")).contains("everything__echo", "everything__get-sum");
                JsonNode echo = client.call("everything__echo", "{\"message\":\"through ssh\"}");
                assertThat(text(echo)).as(echo.toString()).contains("through ssh");
                JsonNode sum = client.call("everything__get-sum", "{\"a\":2,\"b\":3}");
                assertThat(text(sum)).as(sum.toString()).contains("5");
            }
        }
    }

    @Test
    void anUnknownOrChangedHostKeyIsRefusedBeforeAnyLoginAndRetriesBackOff() throws Exception {
        KeyPair user = TestingSshServer.ed25519();
        try (TestingSshServer server = new TestingSshServer(TestingSshServer.ed25519()).authorize(user.getPublic())) {
            Path identity = identity(user, "id");
            Path elsewhere = TestingSshServer.write(home.resolve("known_hosts-other"),
                    "[127.0.0.1]:1 " + PublicKeyEntry.toString(server.hostKey().getPublic()) + "\n");
            try (BackendTransport unknown = transport(settings(server, elsewhere, identity))) {
                assertThatThrownBy(() -> unknown.open(request(Map.of()), new Inbound()))
                        .hasMessageContaining("the host key of")
                        .hasMessageContaining("is not in " + elsewhere);
            }
            Path changed = TestingSshServer.write(home.resolve("known_hosts-changed"),
                    server.knownHostsLine(TestingSshServer.ed25519().getPublic()));
            try (BackendTransport impostor = transport(settings(server, changed, identity))) {
                assertThatThrownBy(() -> impostor.open(request(Map.of()), new Inbound())).hasMessageContaining("has CHANGED");
                assertThatThrownBy(() -> impostor.open(request(Map.of()), new Inbound())).as("within the backoff: no new attempt")
                        .hasMessageContaining("has CHANGED").hasMessageContaining("(next attempt in 1 s)");
                clock.move(Duration.ofSeconds(1));
                assertThatThrownBy(() -> impostor.open(request(Map.of()), new Inbound())).as("tried again, then 2 s to wait")
                        .hasMessageNotContaining("next attempt");
                assertThatThrownBy(() -> impostor.open(request(Map.of()), new Inbound())).hasMessageContaining("(next attempt in 2 s)");
            }
            assertThat(server.logins()).as("no key was offered to a server whose host key did not check out").isZero();
            assertThat(server.processes()).isEmpty();
        }
    }

    @Test
    void aConfigurationWithoutKnownHostsOrWithAnUnreadableKeyDoesNotStart() throws Exception {
        try (TestingSshServer server = new TestingSshServer(TestingSshServer.ed25519())) {
            ObjectNode noKnownHosts = settings(server, home.resolve("unused"), null);
            noKnownHosts.remove("knownHosts");
            assertThatThrownBy(() -> transport(noKnownHosts)).hasMessageContaining("knownHosts: required value is missing");
            assertThatThrownBy(() -> transport(settings(server, home.resolve("missing_known_hosts"), null)))
                    .hasMessageContaining("knownHosts: cannot read").hasMessageContaining("missing_known_hosts");
            Path notAKey = TestingSshServer.write(home.resolve("id_broken"), "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0\n");
            assertThatThrownBy(() -> transport(settings(server, knownHosts(server), notAKey)))
                    .hasMessageStartingWith("identityFile: " + notAKey + " is not a private key").hasMessageNotContaining("c2VjcmV0");
            ObjectNode typo = settings(server, knownHosts(server), null).put("identityFiel", "x");
            assertThatThrownBy(() -> transport(typo)).hasMessageContaining("identityFiel");
        }
    }

    @Test
    void aKeyTheServerDoesNotKnowIsRefusedAndAnUnreadableKeyNamesNoSecret() throws Exception {
        try (TestingSshServer server = new TestingSshServer(TestingSshServer.ecdsa()).authorize(TestingSshServer.ed25519().getPublic())) {
            try (BackendTransport wrong = transport(settings(server, knownHosts(server), identity(TestingSshServer.ed25519(), "id")))) {
                assertThatThrownBy(() -> wrong.open(request(Map.of()), new Inbound()))
                        .hasMessageContaining("cannot log in to mcp@127.0.0.1:" + server.port());
            }
            try (BackendTransport nothing = transport(settings(server, knownHosts(server), null))) {
                assertThatThrownBy(() -> nothing.open(request(Map.of()), new Inbound()))
                        .hasMessageContaining("no key or password to log in with");
                String garbage = "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END OPENSSH PRIVATE KEY-----\n";
                assertThatThrownBy(() -> nothing.open(request(Map.of("SSH_PRIVATE_KEY", garbage)), new Inbound()))
                        .hasMessageContaining("the credential SSH_PRIVATE_KEY is not a private key")
                        .hasMessageNotContaining("c2VjcmV0");
            }
            assertThat(server.processes()).isEmpty();
        }
    }

    @Test
    void aRefusedVariableIsNamedInTheLogStderrGoesThereAndCredentialsStayWithTheTransport() throws Exception {
        KeyPair user = TestingSshServer.rsa();
        StringWriter log = new StringWriter();
        Logger backendLog = (Logger) LogManager.getLogger("mcpgw.backend.remote");
        Appender capture = WriterAppender.newBuilder().setName("capture").setTarget(log)
                .setLayout(PatternLayout.newBuilder().setPattern("%m%n").build()).build();
        capture.start();
        backendLog.addAppender(capture);
        backendLog.setLevel(Level.INFO);
        try (TestingSshServer server = new TestingSshServer(TestingSshServer.ed25519(), Set.of("LOG_LEVEL")).authorize(user.getPublic())) {
            ObjectNode settings = settings(server, knownHosts(server), identity(user, "id"));
            settings.putObject("env").put("LOG_LEVEL", "debug").put("REGION", "eu");
            // A shell command as one word: quoted for the remote shell, it arrives whole, quote and all.
            settings.putArray("command").add("/bin/sh").add("-c")
                    .add("echo \"it's on stderr\" >&2; exec " + String.join(" ", JavaCommand.of(TestingMcpBackend.class)));
            try (BackendTransport transport = transport(settings)) {
                Inbound inbound = new Inbound();
                BackendConnection connection = transport.open(request(Map.of("SSH_PASSWORD", "pw-never-logged", "TOKEN", "t-1")), inbound);
                connection.send(INITIALIZE);
                assertThat(inbound.next()).contains("testing-backend");
                connection.send(env(2, "REGION"));
                assertThat(inbound.next()).contains("\"text\":\"eu\"");
                connection.send(env(3, "LOG_LEVEL"));
                assertThat(inbound.next()).as("refused by the server").contains("\"text\":\"null\"");
                connection.send(env(4, "TOKEN"));
                assertThat(inbound.next()).as("a credential variable reaches the command").contains("\"text\":\"t-1\"");
                connection.send(env(5, "SSH_PASSWORD"));
                assertThat(inbound.next()).as("the transport's own credentials never do").contains("\"text\":\"null\"");
                connection.close();
                assertThat(inbound.closed.get(10, TimeUnit.SECONDS)).as("a close the gateway asked for").isEmpty();
                assertThat(server.processes().getFirst().waitFor(10, TimeUnit.SECONDS)).as("the remote command ended").isTrue();
                assertThatThrownBy(() -> connection.send(env(6, "REGION"))).isInstanceOf(NotDeliveredException.class);
            }
        } finally {
            backendLog.removeAppender(capture);
        }
        assertThat(log.toString())
                .contains("the SSH server mcp@127.0.0.1:", "refused the environment variable LOG_LEVEL", "[remote] it's on stderr")
                .doesNotContain("pw-never-logged", "t-1");
    }

    @Test
    void keepalivesNoticeAPeerThatStoppedAnsweringAndTheCallInFlightFails() throws Exception {
        KeyPair user = TestingSshServer.ed25519();
        try (TestingSshServer server = new TestingSshServer(TestingSshServer.ed25519()).authorize(user.getPublic());
                TestingFreezingProxy proxy = new TestingFreezingProxy(server.port())) {
            Path knownHosts = TestingSshServer.write(home.resolve("known_hosts-proxy"),
                    "[127.0.0.1]:" + proxy.port() + " " + PublicKeyEntry.toString(server.hostKey().getPublic()) + "\n");
            ObjectNode settings = settings(server, knownHosts, identity(user, "id")).put("port", proxy.port())
                    .put("keepAliveInterval", "1s").put("keepAliveMaxMissed", 2);
            try (BackendTransport transport = transport(settings)) {
                Inbound inbound = new Inbound();
                BackendConnection connection = transport.open(request(Map.of()), inbound);
                connection.send(INITIALIZE);
                assertThat(inbound.next()).contains("testing-backend");
                proxy.freeze();
                connection.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{}}}");
                Optional<Throwable> cause = inbound.closed.get(15, TimeUnit.SECONDS);
                assertThat(cause).as("not a close the gateway asked for").isPresent();
                assertThat(cause.get()).hasMessageContaining("the SSH connection to mcp@127.0.0.1:" + proxy.port() + " was lost");
                assertThat(connection.isOpen()).isFalse();
                assertThatThrownBy(() -> connection.send(env(3, "REGION"))).isInstanceOf(NotDeliveredException.class);
            }
        }
    }

    @Test
    void aCommandThatIgnoresEndOfFileIsEndedBySignal() throws Exception {
        KeyPair user = TestingSshServer.ecdsa();
        try (TestingSshServer server = new TestingSshServer(TestingSshServer.ecdsa()).authorize(user.getPublic())) {
            ObjectNode settings = settings(server, knownHosts(server), identity(user, "id"));
            settings.putArray("command").add("sleep").add("600");
            try (BackendTransport transport = transport(settings)) {
                Inbound inbound = new Inbound();
                BackendConnection connection = transport.open(request(Map.of()), inbound);
                assertThat(connection.isOpen()).isTrue();
                connection.close();
                assertThat(server.processes().getFirst().waitFor(10, TimeUnit.SECONDS)).as("sleep ended").isTrue();
                assertThat(server.signals()).as("end-of-file did not end it; TERM did").containsExactly(Signal.TERM);
                assertThat(inbound.closed.get(10, TimeUnit.SECONDS)).isEmpty();
            }
        }
    }

    @Test
    void keysAndPasswordsFromTheCredentialBrokerOrAnEncryptedFileLogInAndTheAdminApiShowsNoSecret() throws Exception {
        KeyPair user = TestingSshServer.ed25519();
        KeyPair fileUser = TestingSshServer.ecdsa();
        Path encrypted = TestingSshServer.write(home.resolve("id_encrypted"), TestingSshServer.openSshPrivateKey(fileUser, "file passphrase"));
        try (TestingSshServer keyed = new TestingSshServer(TestingSshServer.ed25519()).authorize(user.getPublic());
                TestingSshServer passworded = new TestingSshServer(TestingSshServer.ecdsa()).password("correct horse");
                TestingSshServer filed = new TestingSshServer(TestingSshServer.rsa()).authorize(fileUser.getPublic())) {
            String key = TestingSshServer.openSshPrivateKey(user);
            TestingGateway.installBuiltPlugin(home);
            String yaml = """
                    admin:
                      tokens: ["%s"]
                    credentials:
                      - type: static
                        entries:
                          - backend: keyed
                            environment:
                              GITHUB_TOKEN: from-the-broker
                              SSH_PRIVATE_KEY: |
                    %s
                          - backend: passworded
                            environment: { SSH_PASSWORD: "correct horse" }
                    backends:
                    """.formatted(ADMIN_TOKEN, key.indent(14).stripTrailing())
                    + yamlBackend("keyed", keyed, knownHosts(keyed), null, JavaCommand.yaml(TestingMcpBackend.class), "credentials: required\n")
                    + yamlBackend("passworded", passworded, knownHosts(passworded), null, JavaCommand.yaml(TestingMcpBackend.class),
                            "credentials: required\n")
                    + yamlBackend("filed", filed, knownHosts(filed), encrypted, JavaCommand.yaml(TestingMcpBackend.class),
                            "identityPassword: file passphrase\n");
            try (TestingGateway gateway = TestingGateway.start(home, yaml).awaitReady(Duration.ofSeconds(60))) {
                RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
                JsonNode token = client.call("keyed__env", "{\"name\":\"GITHUB_TOKEN\"}");
                assertThat(text(token)).as(token.toString()).isEqualTo("from-the-broker");
                assertThat(text(client.call("keyed__env", "{\"name\":\"SSH_PRIVATE_KEY\"}"))).as("the key stays with the transport").isEqualTo("null");
                assertThat(text(client.call("passworded__echo", "{\"text\":\"logged in by password\"}"))).isEqualTo("logged in by password");
                assertThat(text(client.call("passworded__env", "{\"name\":\"SSH_PASSWORD\"}"))).isEqualTo("null");
                assertThat(text(client.call("filed__echo", "{\"text\":\"an encrypted key file\"}"))).isEqualTo("an encrypted key file");

                AdminClient admin = new AdminClient(gateway.adminUri(), ADMIN_TOKEN);
                JsonNode filedDefinition = admin.get("/admin/backends/filed").json().path("definition");
                assertThat(filedDefinition.path("transport").asText()).isEqualTo("ssh");
                assertThat(filedDefinition.path("identityPassword").asText()).isEqualTo("<redacted>");
                String everything = admin.get("/admin/backends").body() + admin.get("/admin/backends/keyed").body()
                        + admin.get("/admin/backends/passworded").body() + admin.get("/admin/backends/filed").body();
                assertThat(everything).doesNotContain("file passphrase", "correct horse", "OPENSSH PRIVATE KEY", "from-the-broker");
            }
            assertThat(keyed.logins()).isPositive();
            assertThat(passworded.logins()).isPositive();
            assertThat(filed.logins()).isPositive();
        }
    }

    @Test
    void aDroppedConnectionUnderLoadFailsOnlyTheCallsInFlightAndRunsNoCallTwice() throws Exception {
        KeyPair user = TestingSshServer.ed25519();
        Path record = home.resolve("executed.txt");
        try (TestingSshServer server = new TestingSshServer(TestingSshServer.ed25519()).authorize(user.getPublic())) {
            TestingGateway.installBuiltPlugin(home);
            String yaml = "backends:\n" + yamlBackend("victim", server, knownHosts(server), identity(user, "id"),
                    JavaCommand.yaml(TestingMcpBackend.class), """
                    env: { TESTING_RECORD_FILE: "%s" }
                    maxProcesses: 2
                    isolation: shared
                    circuitBreaker: { failures: 1000 }
                    """.formatted(record));
            try (TestingGateway gateway = TestingGateway.start(home, yaml).awaitReady(Duration.ofSeconds(60))) {
                AtomicBoolean running = new AtomicBoolean(true);
                AtomicInteger marks = new AtomicInteger();
                Map<String, JsonNode> answers = new ConcurrentHashMap<>();
                List<Future<?>> clients = new ArrayList<>();
                try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < CLIENTS; i++) {
                        clients.add(threads.submit(() -> {
                            RawMcp client = new RawMcp(gateway, null, "/mcp").initialized();
                            while (running.get()) {
                                String mark = "call-" + marks.incrementAndGet();
                                answers.put(mark, client.call("victim__slow", "{\"millis\":40,\"mark\":\"" + mark + "\"}"));
                            }
                            return null;
                        }));
                    }
                    // Counted, not timed: each phase lasts until every client has had two calls answered, at most 60 s.
                    awaitAnswered(answers, 2L * CLIENTS);
                    for (int round = 0; round < 2; round++) {
                        long answeredBefore = answered(answers);
                        server.dropConnections();
                        awaitAnswered(answers, answeredBefore + 2L * CLIENTS);
                    }
                    running.set(false);
                    for (Future<?> client : clients) {
                        client.get(60, TimeUnit.SECONDS);
                    }
                }
                RawMcp after = new RawMcp(gateway, null, "/mcp").initialized();
                assertThat(text(after.call("victim__echo", "{\"text\":\"still here\"}"))).as("reconnected").isEqualTo("still here");

                List<JsonNode> failed = answers.values().stream().filter(answer -> answer.has("error")).toList();
                assertThat(failed).as("calls in flight at a drop fail").isNotEmpty();
                assertThat(failed).allSatisfy(answer -> assertThat(answer.path("error").path("message").asText()).contains("victim"));

                Map<String, Integer> executions = new HashMap<>();
                Files.readAllLines(record).forEach(mark -> executions.merge(mark, 1, Integer::sum));
                assertThat(executions.values()).as("no call ran twice").allMatch(count -> count == 1);
                answers.forEach((mark, answer) -> {
                    if (answer.has("result")) {
                        assertThat(executions).as("a call answered ran once").containsEntry(mark, 1);
                    }
                });
            }
            assertThat(server.logins()).as("one login per connection: the first, and one after each drop").isBetween(3, 6);
        }
    }

    private static final String INITIALIZE = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},\
            "clientInfo":{"name":"test","version":"1"}}}""";

    private static String env(int id, String name) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"env\",\"arguments\":{\"name\":\""
                + name + "\"}}}";
    }

    private static ConnectionRequest request(Map<String, String> environment) {
        return new ConnectionRequest("remote", environment, Map.of());
    }

    /** What a connection hands back. */
    private static final class Inbound implements InboundHandler {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();

        @Override
        public void onMessage(String json) {
            messages.add(json);
        }

        @Override
        public void onClosed(Optional<Throwable> cause) {
            closed.complete(cause);
        }

        String next() throws InterruptedException {
            String message = messages.poll(30, TimeUnit.SECONDS);
            assertThat(message).as("an answer within 30 s").isNotNull();
            return message;
        }
    }

    /** Waits until at least {@code count} calls were answered with a result: calls keep succeeding around the drops. */
    private static void awaitAnswered(Map<String, JsonNode> answers, long count) {
        await("calls keep succeeding around the drops").atMost(Duration.ofSeconds(60)).until(() -> answered(answers) >= count);
    }

    private static long answered(Map<String, JsonNode> answers) {
        return answers.values().stream().filter(answer -> answer.has("result")).count();
    }
}
