package io.mcpgw.server.transport.stdio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.mcpgw.server.InstallPaths;
import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StdioTransportIT {

    @TempDir
    Path home;

    private final Received received = new Received();

    private BackendConnection open(List<String> command, Map<String, String> env, Map<String, String> credentials)
            throws IOException {
        return open(new StdioSettings(command, env, null, null, null), credentials);
    }

    private BackendConnection open(StdioSettings settings, Map<String, String> credentials) throws IOException {
        StdioTransport transport = new StdioTransport(settings, new InstallPaths(home), new ChildRecords(home.resolve("children")));
        return transport.open(new ConnectionRequest("test", credentials, Map.of()), received);
    }

    @Test
    void messagesRoundTripThroughTheChild() throws IOException {
        try (BackendConnection connection = open(List.of("cat"), Map.of(), Map.of())) {
            connection.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
            connection.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\",\"params\":{\"text\":\"héllo ✓\"}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> received.messages.size() == 2);
            assertThat(received.messages).containsExactly(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\",\"params\":{\"text\":\"héllo ✓\"}}");
        }
        assertThat(received.closed.join()).isEmpty();
    }

    @Test
    void messageWithLineBreakIsRefused() throws IOException {
        try (BackendConnection connection = open(List.of("cat"), Map.of(), Map.of())) {
            assertThatThrownBy(() -> connection.send("{\"a\":\n1}")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void childSeesOnlyTheBaseConfiguredAndCredentialVariables() throws IOException {
        try (BackendConnection ignored = open(List.of("sh", "-c", "env; sleep 30"),
                Map.of("DEMO_GREETING", "hello"), Map.of("API_TOKEN", "s3cret"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> received.messages.stream().anyMatch(line -> line.startsWith("API_TOKEN=")));
            await().pollDelay(Duration.ofMillis(200)).until(() -> true);
            Map<String, String> environment = received.messages.stream()
                    .filter(line -> line.contains("="))
                    .collect(Collectors.toMap(line -> line.substring(0, line.indexOf('=')),
                            line -> line.substring(line.indexOf('=') + 1), (a, b) -> b));
            Set<String> allowed = new HashSet<>(ChildEnvironment.BASE);
            allowed.addAll(Set.of("DEMO_GREETING", "API_TOKEN", "PWD", "SHLVL", "_", "OLDPWD"));
            assertThat(environment.keySet()).isSubsetOf(allowed);
            assertThat(environment).containsEntry("DEMO_GREETING", "hello").containsEntry("API_TOKEN", "s3cret");
            assertThat(environment.get("PATH")).isEqualTo(System.getenv("PATH"));
        }
    }

    @Test
    void stderrGoesToTheLogUnderTheBackendsId() throws IOException {
        List<String> logged = new CopyOnWriteArrayList<>();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        AbstractAppender capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                logged.add(event.getLoggerName() + " " + event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        LoggerConfig backendLogs = new LoggerConfig("mcpgw.backend.test", Level.INFO, false);
        backendLogs.addAppender(capture, Level.INFO, null);
        context.getConfiguration().addLogger("mcpgw.backend.test", backendLogs);
        context.updateLoggers();
        try (BackendConnection ignored = open(List.of("sh", "-c", "echo 'warming up the cache' >&2; sleep 30"), Map.of(), Map.of())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> logged.contains("mcpgw.backend.test [test] warming up the cache"));
        } finally {
            context.getConfiguration().removeLogger("mcpgw.backend.test");
            context.updateLoggers();
        }
    }

    @Test
    void relativeProgramResolvesAgainstTheInstallDirectory() throws IOException {
        Path script = Files.createDirectories(home.resolve("bin")).resolve("answer");
        Files.writeString(script, "#!/bin/sh\necho '{\"from\":\"script\"}'\nsleep 30\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (BackendConnection ignored = open(List.of("bin/answer"), Map.of(), Map.of())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> received.messages.contains("{\"from\":\"script\"}"));
        }
    }

    @Test
    void childThatExitsIsReportedWithItsExitCode() throws Exception {
        BackendConnection connection = open(List.of("sh", "-c", "exit 3"), Map.of(), Map.of());
        Optional<Throwable> cause = received.closed.get(10, TimeUnit.SECONDS);
        assertThat(cause).get().extracting(Throwable::getMessage).isEqualTo("backend 'test' process exited with code 3");
        assertThat(connection.isOpen()).isFalse();
        assertThatThrownBy(() -> connection.send("{}")).isInstanceOf(IOException.class);
        connection.close();
    }

    @Test
    void aLineOverMaxMessageBytesEndsTheChildInsteadOfBeingBuffered() throws Exception {
        // 8 MiB without a newline, then the child would wait forever: only the limit ends it.
        BackendConnection connection = open(new StdioSettings(
                List.of("sh", "-c", "echo '{\"first\":1}'; echo \"{\\\"pid\\\":$$}\"; head -c 8388608 /dev/zero | tr '\\0' x; sleep 300"),
                Map.of(), null, null, 1024 * 1024), Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> received.messages.size() == 2);
        long child = Long.parseLong(received.messages.get(1).replaceAll("\\D", ""));

        Optional<Throwable> cause = received.closed.get(20, TimeUnit.SECONDS);

        assertThat(cause).get().extracting(Throwable::getMessage)
                .isEqualTo("backend 'test' sent a message longer than maxMessageBytes (1048576 bytes); its process was ended");
        assertThat(received.messages).containsExactly("{\"first\":1}", "{\"pid\":" + child + "}");
        assertThat(connection.isOpen()).isFalse();
        await().atMost(Duration.ofSeconds(15)).until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
        connection.close();
    }

    @Test
    void aLineUpToMaxMessageBytesArrivesWhole() throws Exception {
        try (BackendConnection ignored = open(new StdioSettings(
                List.of("sh", "-c", "printf '\"'; head -c 1048574 /dev/zero | tr '\\0' x; printf '\"\\n'; sleep 300"),
                Map.of(), null, null, 1024 * 1024), Map.of())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> received.messages.size() == 1);
            assertThat(received.messages.getFirst()).hasSize(1024 * 1024).startsWith("\"x").endsWith("x\"");
        }
    }

    @Test
    void missingProgramFailsToOpen() {
        assertThatThrownBy(() -> open(List.of("/nonexistent/backend"), Map.of(), Map.of()))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot start /nonexistent/backend");
    }

    @Test
    void closeEndsTheWholeProcessGroup() throws Exception {
        BackendConnection connection = open(
                List.of("sh", "-c", "trap '' TERM; sleep 300 & echo \"{\\\"grandchild\\\":$!}\"; wait"), Map.of(), Map.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> !received.messages.isEmpty());
        long grandchild = Long.parseLong(received.messages.getFirst().replaceAll("\\D", ""));
        assertThat(ProcessHandle.of(grandchild)).get().matches(ProcessHandle::isAlive);

        connection.close();

        await().atMost(Duration.ofSeconds(15)).until(() -> ProcessHandle.of(grandchild).map(p -> !p.isAlive()).orElse(true));
        assertThat(received.closed.get(10, TimeUnit.SECONDS)).isEmpty();
    }

    private static final class Received implements InboundHandler {
        final List<String> messages = new CopyOnWriteArrayList<>();
        final CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();

        @Override
        public void onMessage(String json) {
            messages.add(json);
        }

        @Override
        public void onClosed(Optional<Throwable> cause) {
            closed.complete(cause);
        }
    }
}
