package io.mcpgw.dist;

import static io.mcpgw.testkit.TestingPluginJar.plugin;
import static io.mcpgw.testkit.TestingPluginJar.policyFactorySource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpgw.testkit.JavaCommand;
import io.mcpgw.testkit.TestingCertificateAuthority;
import io.mcpgw.testkit.TestingMcpBackend;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the built distribution's launcher as a user would, in a copy of the install tree. */
class LauncherIT {

    private static final Pattern STARTED = Pattern.compile("mcpgw started \\(pid (\\d+)\\), listening on (http://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern STARTED_TLS = Pattern.compile("mcpgw started \\(pid (\\d+)\\), listening on (https://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path home;

    private record Result(int exitCode, String out, String err) {}

    @BeforeEach
    void copyInstallTree() throws IOException {
        InstallTree.copyTo(home);
    }

    private Result mcpgw(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/mcpgw").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        builder.environment().put("MCPGW_PORT", "0");
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("mcpgw %s finished", String.join(" ", arguments)).isTrue();
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static List<ProcessHandle> processesRunningFrom(Path directory, String marker) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine()
                        .map(line -> line.contains(directory.toString()) && line.contains(marker))
                        .orElse(false))
                .toList();
    }

    @Test
    void startStatusPluginsStop() throws Exception {
        plugin("hello-policy").version("2.3.4").requires(">=0.1.0")
                .extension("com.example.hello.HelloPolicyFactory", policyFactorySource(
                        "com.example.hello.HelloPolicyFactory", "hello", "", "return input -> Decision.allow();"))
                .writeZip(home.resolve("plugins"));

        Result start = mcpgw("start");
        assertThat(start.exitCode()).as(start.toString()).isZero();
        Matcher started = STARTED.matcher(start.out());
        assertThat(started.find()).as(start.out()).isTrue();
        long pid = Long.parseLong(started.group(1));
        URI address = URI.create(started.group(2));
        try {
            assertThat(Files.readString(home.resolve("var/run/mcpgw.pid")).trim()).isEqualTo(Long.toString(pid));
            assertThat(ProcessHandle.of(pid)).get().matches(ProcessHandle::isAlive);

            HttpResponse<String> ready = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(address.resolve("/readyz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            JsonNode readiness = new ObjectMapper().readTree(ready.body());
            assertThat(readiness.path("backends").path("demo").asText()).as("the shipped demo backend").isEqualTo("up");
            assertThat(processesRunningFrom(home, "io.mcpgw.server.demo.DemoBackend")).hasSize(1);

            Result status = mcpgw("status");
            assertThat(status.exitCode()).isZero();
            assertThat(status.out()).contains("mcpgw is running (pid " + pid + "), listening on " + address);

            Result again = mcpgw("start");
            assertThat(again.exitCode()).isZero();
            assertThat(again.out()).contains("already running (pid " + pid + ")");

            Result plugins = mcpgw("plugins");
            assertThat(plugins.exitCode()).as(plugins.toString()).isZero();
            assertThat(plugins.out()).containsPattern("hello-policy\\s+2\\.3\\.4\\s+started\\s+policy:hello");

            Result stop = mcpgw("stop");
            assertThat(stop.exitCode()).as(stop.toString()).isZero();
            assertThat(stop.out()).contains("mcpgw stopped (pid " + pid + ")");
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(home.resolve("var/run/mcpgw.pid")).doesNotExist();
        assertThat(processesRunningFrom(home, "io.mcpgw.server.demo.DemoBackend")).as("demo backend ended").isEmpty();
        assertThat(Files.readString(home.resolve("logs/mcpgw.log"))).contains("mcpgw stopped");

        Result status = mcpgw("status");
        assertThat(status.exitCode()).isEqualTo(3);
        assertThat(status.out()).contains("mcpgw is not running");
        assertThat(mcpgw("stop").exitCode()).isZero();
    }

    @Test
    void validateReportsTheKeyPathOfABrokenFile() throws Exception {
        Path broken = home.resolve("conf/broken.yaml");
        Files.writeString(broken, """
                server:
                  host: 127.0.0.1
                backends:
                  - id: demo
                    transport: stdio
                    command: ["bin/mcpgw-demo-backend"]
                    startupTimeout: forever
                """);
        Result result = mcpgw("validate", "--config", broken.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains(broken + ": backends[0].startupTimeout: expected a duration");

        Result good = mcpgw("validate");
        assertThat(good.exitCode()).as(good.toString()).isZero();
        assertThat(good.out()).contains("conf/mcpgw.yaml is valid: 1 backend(s), 0 plugin(s)");
    }

    /** The shipped plugins' sections checked by validate: one line each way, and no connection to what they name. */
    @Test
    void validateChecksThePluginSectionsWithoutConnecting() throws Exception {
        int shipped;
        try (Stream<Path> available = Files.list(home.resolve("plugins-available"))) {
            List<Path> zips = available.toList();
            for (Path zip : zips) {
                Files.copy(zip, home.resolve("plugins").resolve(zip.getFileName()));
            }
            shipped = zips.size();
        }
        try (ServerSocket services = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String at = "127.0.0.1:" + services.getLocalPort();
            String plugins = """

                    audit:
                      - type: kafka
                        bootstrapServers: %s
                      - type: postgres
                        url: jdbc:postgresql://%s/audit
                    policy:
                      - type: opa
                        url: http://%s
                        path: mcpgw/allow
                    credentials:
                      - type: vault
                        address: http://%s
                        auth: { method: token, token: "not-a-real-token" }
                        secrets:
                          - { backend: demo, path: "mcpgw/{tenant}/demo", environment: { DEMO_TOKEN: "{token}" } }
                    """.formatted(at, at, at, at);
            Path config = home.resolve("conf/plugins.yaml");
            Files.writeString(config, Files.readString(home.resolve("conf/mcpgw.yaml")) + plugins);

            Result good = mcpgw("validate", "--config", config.toString());
            assertThat(good.exitCode()).as(good.toString()).isZero();
            assertThat(good.out().lines().toList()).as(good.toString()).containsExactly(config + " is valid: 1 backend(s), " + shipped + " plugin(s)");

            Path bad = home.resolve("conf/bad-plugins.yaml");
            Files.writeString(bad, Files.readString(config).replace("bootstrapServers: " + at,
                    "bootstrapServers: " + at + "\n    compression: brotli"));
            Result refused = mcpgw("validate", "--config", bad.toString());
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.out()).isEmpty();
            assertThat(refused.err().lines().toList()).as(refused.toString()).hasSize(1).first().asString()
                    .contains(bad + ": audit[0]: audit extension 'kafka'").contains("brotli");

            services.setSoTimeout(500);
            assertThatThrownBy(services::accept).as("nothing connected to the configured services")
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    /** A child that ignores its stdin outlives a gateway killed with SIGKILL; the next start ends it. */
    @Test
    void aChildLeftRunningByAKilledGatewayIsEndedAtTheNextStart() throws Exception {
        Path script = home.resolve("bin/stubborn-backend");
        String java = JavaCommand.of(TestingMcpBackend.class).stream().map(part -> "'" + part.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
        Files.writeString(script, "#!/bin/sh\n" + java + "\nsleep 300\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = home.resolve("conf/stubborn.yaml");
        Files.writeString(config, """
                server:
                  port: 0
                backends:
                  - id: stubborn
                    transport: stdio
                    command: ["bin/stubborn-backend"]
                """);

        Result first = mcpgw("start", "--config", config.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        Matcher started = STARTED.matcher(first.out());
        assertThat(started.find()).as(first.out()).isTrue();
        ProcessHandle gateway = ProcessHandle.of(Long.parseLong(started.group(1))).orElseThrow();
        List<ProcessHandle> children = processesRunningFrom(home, "stubborn-backend");
        assertThat(children).hasSize(1);
        ProcessHandle child = children.getFirst();
        try {
            gateway.destroyForcibly();
            gateway.onExit().get(30, TimeUnit.SECONDS);
            Thread.sleep(1500);
            assertThat(child.isAlive()).as("the child outlives the killed gateway").isTrue();

            Result second = mcpgw("start", "--config", config.toString());
            assertThat(second.exitCode()).as(second.toString()).isZero();
            child.onExit().get(30, TimeUnit.SECONDS);
            assertThat(child.isAlive()).as("ended by the next start").isFalse();
            assertThat(processesRunningFrom(home, "stubborn-backend")).as("the new gateway's own child").hasSize(1)
                    .doesNotContain(child);
            assertThat(Files.readString(home.resolve("logs/mcpgw.log")))
                    .contains("Ending child process group " + child.pid() + " left running by gateway " + gateway.pid());
        } finally {
            mcpgw("stop", "--force");
            gateway.destroyForcibly();
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
        }
    }

    /**
     * With TLS, {@code start} waits for {@code /readyz} over HTTPS, trusting the configured certificate (which
     * names another host than the address), and {@code status} tells the https address; with client certificates
     * required, the handshake showing the configured certificate is what {@code start} waits for.
     */
    @Test
    void startAndStatusSpeakHttpsToAGatewayWithTls() throws Exception {
        TestingCertificateAuthority ca = TestingCertificateAuthority.create(home.resolve("conf/tls"), "launcher");
        ca.issueServer("server", "mcp.example.com");
        for (String clientCa : List.of("", ", clientCa: conf/tls/launcher-ca.pem")) {
            Path config = home.resolve("conf/tls.yaml");
            Files.writeString(config, "server:\n  port: 0\n  tls: { certificate: conf/tls/server.pem, privateKey: conf/tls/server.key"
                    + clientCa + " }\n");
            Result start = mcpgw("start", "--config", config.toString(), "--wait", "30");
            assertThat(start.exitCode()).as(start.toString()).isZero();
            Matcher started = STARTED_TLS.matcher(start.out());
            assertThat(started.find()).as(start.out()).isTrue();
            long pid = Long.parseLong(started.group(1));
            URI address = URI.create(started.group(2));
            try {
                Result status = mcpgw("status", "--config", config.toString());
                assertThat(status.exitCode()).isZero();
                assertThat(status.out()).contains("mcpgw is running (pid " + pid + "), listening on " + address);
                try (SSLSocket socket = (SSLSocket) ca.trustingContext().getSocketFactory().createSocket(address.getHost(), address.getPort())) {
                    socket.startHandshake();
                    assertThat(((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName())
                            .isEqualTo("CN=mcp.example.com");
                }
                Result stop = mcpgw("stop", "--config", config.toString());
                assertThat(stop.exitCode()).as(stop.toString()).isZero();
            } finally {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void startWithABrokenConfigurationSaysWhyAndLeavesNothingRunning() throws Exception {
        Path broken = home.resolve("conf/broken.yaml");
        Files.writeString(broken, "server:\n  prot: 1\n");
        Result result = mcpgw("start", "--config", broken.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("mcpgw failed to start").contains("server.prot: unknown key 'prot'; did you mean 'port'?");
        assertThat(home.resolve("var/run/mcpgw.pid")).doesNotExist();
        assertThat(mcpgw("status").exitCode()).isEqualTo(3);
    }

    @Test
    void everyCommandHasHelp() throws Exception {
        for (String command : List.of("run", "start", "stop", "status", "validate", "plugins")) {
            Result help = mcpgw(command, "--help");
            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out()).contains("Usage: mcpgw " + command).contains("--config");
        }
        Result top = mcpgw("--help");
        assertThat(top.out()).contains("start", "stop", "status", "validate", "plugins");
        assertThat(mcpgw("--version").out()).startsWith("mcpgw 0.");
    }

    @Test
    void theShippedPluginsLoadOnceCopiedIntoPlugins() throws Exception {
        try (Stream<Path> available = Files.list(home.resolve("plugins-available"))) {
            for (Path zip : available.toList()) {
                Files.copy(zip, home.resolve("plugins").resolve(zip.getFileName()));
            }
        }
        Result plugins = mcpgw("plugins");
        assertThat(plugins.exitCode()).as(plugins.toString()).isZero();
        assertThat(plugins.out()).containsPattern("audit-kafka\\s+0\\.1\\.0\\S*\\s+started\\s+audit:kafka")
                .containsPattern("audit-postgres\\s+0\\.1\\.0\\S*\\s+started\\s+audit:postgres")
                .containsPattern("policy-opa\\s+0\\.1\\.0\\S*\\s+started\\s+policy:opa")
                .containsPattern("discovery-dns\\s+0\\.1\\.0\\S*\\s+started\\s+discovery:dns")
                .containsPattern("creds-vault\\s+0\\.1\\.0\\S*\\s+started\\s+credentials:vault")
                .containsPattern("transport-ssh\\s+0\\.1\\.0\\S*\\s+started\\s+transport:ssh");
    }

    @Test
    void pluginsListsTheShippedPluginsNotInstalledWithTheCommandThatInstallsThem() throws Exception {
        Result plugins = mcpgw("plugins");
        assertThat(plugins.exitCode()).as(plugins.toString()).isZero();
        assertThat(plugins.out()).contains("Available, not installed (copy one into plugins/ and restart to use it):")
                .containsPattern("\\n  cp plugins-available/mcpgw-audit-kafka-[^ ]+\\.zip plugins/\\n")
                .containsPattern("\\n  cp plugins-available/mcpgw-creds-vault-[^ ]+\\.zip plugins/\\n");

        Path kafka = single(home.resolve("plugins-available"), "mcpgw-audit-kafka-*.zip");
        Matcher command = Pattern.compile("cp (plugins-available/mcpgw-audit-kafka-\\S+) (plugins/)").matcher(plugins.out());
        assertThat(command.find()).isTrue();
        Process copy = new ProcessBuilder("cp", command.group(1), command.group(2)).directory(home.toFile()).inheritIO().start();
        assertThat(copy.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(home.resolve("plugins").resolve(kafka.getFileName())).exists();
        Result after = mcpgw("plugins");
        assertThat(after.out()).containsPattern("audit-kafka\\s+0\\.1\\.0\\S*\\s+started\\s+audit:kafka")
                .doesNotContain("cp plugins-available/mcpgw-audit-kafka-").contains("cp plugins-available/mcpgw-creds-vault-");
    }

    /** As examples/policy-plugin/README.md walks a user through it: build, drop into plugins/, configure, see a denial. */
    @Test
    void theExamplePolicyPluginBuildsInstallsAndDenies() throws Exception {
        Path example = Path.of(System.getProperty("mcpgw.repository")).resolve("examples/policy-plugin");
        Path build = home.resolve("example-build");
        try (Stream<Path> files = Files.walk(example)) {
            for (Path source : files.filter(file -> !example.relativize(file).toString().startsWith("target")).toList()) {
                Path target = build.resolve(example.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        // As the README tells a user of the distribution: the SPI jar from its lib/, under the version its name carries.
        Path spi = single(home.resolve("lib"), "mcpgw-spi-*.jar");
        String version = spi.getFileName().toString().replaceAll("^mcpgw-spi-|\\.jar$", "");
        maven(home, "install:install-file", "-Dfile=lib/" + spi.getFileName(), "-DgroupId=io.mcpgw", "-DartifactId=mcpgw-spi",
                "-Dversion=" + version, "-Dpackaging=jar");
        maven(build, "package");
        Files.copy(build.resolve("target/business-hours-policy-1.0.0.zip"), home.resolve("plugins/business-hours-policy-1.0.0.zip"));

        Path config = home.resolve("conf/business-hours.yaml");
        Files.writeString(config, Files.readString(home.resolve("conf/mcpgw.yaml")) + """

                policy:
                  - type: business-hours
                    deny: "demo__add"
                    from: "00:00"
                    to: "23:59:59.999"
                """);
        Result plugins = mcpgw("plugins", "--config", config.toString());
        assertThat(plugins.out()).containsPattern("business-hours-policy\\s+1\\.0\\.0\\s+started\\s+policy:business-hours");
        Result start = mcpgw("start", "--config", config.toString());
        assertThat(start.exitCode()).as(start.toString()).isZero();
        Matcher started = STARTED.matcher(start.out());
        assertThat(started.find()).isTrue();
        try {
            URI address = URI.create(started.group(2));
            HttpClient http = HttpClient.newHttpClient();
            String session = initialize(http, address);
            JsonNode denied = new ObjectMapper().readTree(http.send(mcpRequest(address, session, """
                    {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"demo__add","arguments":{"a":2,"b":3}}}"""),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(denied.path("error").path("code").asInt()).isEqualTo(-32007);
            assertThat(denied.path("error").path("data").path("code").asText()).isEqualTo("business-hours");
            assertThat(denied.path("error").path("message").asText()).startsWith("demo__add is not allowed between 00:00 and");
            JsonNode allowed = new ObjectMapper().readTree(http.send(mcpRequest(address, session, """
                    {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"demo__echo","arguments":{"text":"still fine"}}}"""),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(allowed.path("result").path("content").path(0).path("text").asText()).isEqualTo("still fine");
        } finally {
            assertThat(mcpgw("stop").exitCode()).isZero();
        }
    }

    @Test
    void tarballHoldsTheInstallTree() throws Exception {
        Process tar = new ProcessBuilder("tar", "tvzf", System.getProperty("mcpgw.tarball")).redirectErrorStream(true).start();
        String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).isZero();
        String base = "mcpgw-" + Path.of(System.getProperty("mcpgw.tarball")).getFileName().toString()
                .replace("mcpgw-", "").replace(".tar.gz", "") + "/";
        assertThat(listing).containsPattern("-rwxr-xr-x .* " + Pattern.quote(base + "bin/mcpgw") + "\\n")
                .contains(base + "bin/find-java", base + "bin/mcpgw-demo-backend", base + "conf/mcpgw.yaml",
                        base + "conf/log4j2.xml", base + "plugins/README.md", base + "LICENSE")
                .containsPattern(Pattern.quote(base + "lib/mcpgw-server-") + ".*\\.jar")
                .containsPattern(Pattern.quote(base + "plugins-available/mcpgw-audit-kafka-") + ".*\\.zip")
                .containsPattern(Pattern.quote(base + "plugins-available/mcpgw-audit-postgres-") + ".*\\.zip")
                .containsPattern(Pattern.quote(base + "plugins-available/mcpgw-policy-opa-") + ".*\\.zip")
                .containsPattern(Pattern.quote(base + "plugins-available/mcpgw-discovery-dns-") + ".*\\.zip")
                .containsPattern(Pattern.quote(base + "plugins-available/mcpgw-creds-vault-") + ".*\\.zip")
                .containsPattern(Pattern.quote(base + "plugins-available/mcpgw-transport-ssh-") + ".*\\.zip")
                .doesNotContain("lib/kafka-clients", "lib/postgresql", "lib/sshd-core");
    }

    /**
     * SIGTERM while calls are in flight: they are answered, their audit events are written, the children end and
     * the gateway exits 0. SIGHUP before that reloads the file. Logs are JSON lines here, with the request's
     * context on the request log.
     */
    @Test
    void sigtermUnderLoadFinishesTheCallsInFlightAndFlushesTheAudit() throws Exception {
        Path config = home.resolve("conf/busy.yaml");
        Path audit = home.resolve("data/audit.ndjson");
        String busy = """
                server:
                  port: 0
                  shutdownTimeout: 20s
                audit:
                  - type: file
                    path: %s
                backends:
                  - id: slowpoke
                    transport: stdio
                    command: %s
                """.formatted(audit, JavaCommand.yaml(TestingMcpBackend.class));
        Files.writeString(config, busy);
        deleteRecursively(home.resolve("logs"));
        Path log4j = home.resolve("conf/log4j2.xml");
        Files.writeString(log4j, Files.readString(log4j).replace("<Logger name=\"io.mcpgw.requests\" level=\"info\"/>",
                "<Logger name=\"io.mcpgw.requests\" level=\"debug\"/>"));
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/mcpgw").toString(), "run", "--config", config.toString())
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(home.resolve("run.out").toFile());
        builder.environment().put("MCPGW_LOG_FORMAT", "json");
        Process gateway = builder.start();
        try {
            URI address = awaitListening(gateway);
            HttpClient http = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String session = initialize(http, address);
                calls.add(http.sendAsync(mcpRequest(address, session, """
                        {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"slowpoke__slow","arguments":{"millis":2500}}}"""),
                        HttpResponse.BodyHandlers.ofString()));
            }
            Thread.sleep(800);

            Files.writeString(config, busy + """
                      - id: demo
                        transport: stdio
                        command: ["bin/mcpgw-demo-backend"]
                    """);
            new ProcessBuilder("kill", "-HUP", Long.toString(gateway.pid())).start().waitFor();
            awaitLogLine("Configuration reloaded (SIGHUP): backends added demo");

            gateway.destroy();
            for (CompletableFuture<HttpResponse<String>> call : calls) {
                HttpResponse<String> answer = call.get(30, TimeUnit.SECONDS);
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).as("answered after SIGTERM").contains("slept 2500");
            }
            assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(gateway.exitValue()).isZero();
        } finally {
            gateway.destroyForcibly();
        }
        long completed = Files.readAllLines(audit).stream()
                .filter(line -> line.contains("\"invocation_complete\"") && line.contains("slowpoke__slow")).count();
        assertThat(completed).as("every call's audit event was flushed before exit").isEqualTo(6);
        assertThat(processesRunningFrom(home, TestingMcpBackend.class.getName())).as("the children ended").isEmpty();

        JsonNode requestLine = Files.readAllLines(home.resolve("logs/mcpgw.log")).stream().map(LauncherIT::json)
                .filter(line -> line.path("log.logger").asText().equals("io.mcpgw.requests")
                        && line.path("message").asText().equals("tools/call slowpoke__slow"))
                .findFirst().orElseThrow();
        assertThat(requestLine.path("tenant").asText()).isEqualTo("default");
        assertThat(requestLine.path("client").asText()).isEqualTo("anonymous");
        assertThat(requestLine.path("session").asText()).isNotEmpty();
        assertThat(requestLine.path("requestId").asText()).isEqualTo("2");
        assertThat(requestLine.path("traceId").asText()).matches("[0-9a-f]{32}");
    }

    /**
     * Runs the repository's Maven wrapper in {@code directory} with a local repository of this test's own; what it
     * lacks (plugins, libraries) is read from the build's repository, untouched.
     */
    private void maven(Path directory, String... goals) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("mcpgw.repository")).resolve("mvnw").toString(), "-q",
                "-Dmaven.repo.local=" + home.resolve("m2"), "-Dmaven.repo.local.tail=" + System.getProperty("mcpgw.localRepository")));
        command.addAll(List.of(goals));
        Path out = Files.createTempFile(home, "maven", ".txt");
        Process maven = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(maven.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(maven.exitValue()).as(Files.readString(out)).isZero();
    }

    private static Path single(Path directory, String glob) throws IOException {
        try (DirectoryStream<Path> matches = Files.newDirectoryStream(directory, glob)) {
            List<Path> found = new ArrayList<>();
            matches.forEach(found::add);
            assertThat(found).hasSize(1);
            return found.getFirst();
        }
    }

    private URI awaitListening(Process gateway) throws Exception {
        Path state = home.resolve("var/run/mcpgw.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(gateway.isAlive()).as(Files.exists(home.resolve("run.out")) ? Files.readString(home.resolve("run.out")) : "").isTrue();
            if (Files.exists(state) && Files.size(state) > 0) {
                URI address = URI.create(new ObjectMapper().readTree(state.toFile()).path("http").asText());
                awaitLogLine("Backend 'slowpoke' is up");
                return address;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the gateway did not listen within 60 s");
    }

    private void awaitLogLine(String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Path log = home.resolve("logs/mcpgw.log");
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        throw new AssertionError("no log line with '" + text + "' within 60 s; the log ends with:\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
    }

    private static String initialize(HttpClient http, URI address) throws Exception {
        return http.send(mcpRequest(address, null, """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},
                 "clientInfo":{"name":"launcher-test","version":"1"}}}"""), HttpResponse.BodyHandlers.ofString())
                .headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private static HttpRequest mcpRequest(URI address, String session, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(address.resolve("/mcp")).header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return request.build();
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (Files.exists(directory)) {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON log line: " + line, e);
        }
    }
}
