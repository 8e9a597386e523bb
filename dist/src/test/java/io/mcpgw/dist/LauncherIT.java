package io.mcpgw.dist;

import static io.mcpgw.testkit.TestingPluginJar.plugin;
import static io.mcpgw.testkit.TestingPluginJar.policyFactorySource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the built distribution's launcher as a user would, in a copy of the install tree. */
class LauncherIT {

    private static final Path DIST = Path.of(System.getProperty("mcpgw.dist"));
    private static final Pattern STARTED = Pattern.compile("mcpgw started \\(pid (\\d+)\\), listening on (http://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path home;

    private record Result(int exitCode, String out, String err) {}

    @BeforeEach
    void copyInstallTree() throws IOException {
        try (Stream<Path> files = Files.walk(DIST)) {
            for (Path source : files.toList()) {
                Path target = home.resolve(DIST.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
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
    void tarballHoldsTheInstallTree() throws Exception {
        Process tar = new ProcessBuilder("tar", "tvzf", System.getProperty("mcpgw.tarball")).redirectErrorStream(true).start();
        String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).isZero();
        String base = "mcpgw-" + Path.of(System.getProperty("mcpgw.tarball")).getFileName().toString()
                .replace("mcpgw-", "").replace(".tar.gz", "") + "/";
        assertThat(listing).containsPattern("-rwxr-xr-x .* " + Pattern.quote(base + "bin/mcpgw") + "\\n")
                .contains(base + "bin/find-java", base + "bin/mcpgw-demo-backend", base + "conf/mcpgw.yaml",
                        base + "conf/log4j2.xml", base + "plugins/README.md", base + "LICENSE")
                .containsPattern(Pattern.quote(base + "lib/mcpgw-server-") + ".*\\.jar");
    }
}
