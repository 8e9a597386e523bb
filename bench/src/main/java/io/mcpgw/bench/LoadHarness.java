package io.mcpgw.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Drives {@code tools/call} at fixed concurrency against the minimal HTTP backend directly and through a gateway
 * started from the built distribution, and prints calls/s, p50/p99, the gateway's CPU time per call, its start to
 * first answered call, and the heap an idle client session retains.
 *
 * <pre>bench/run-load [--seconds 10] [--warmup 30] [--sessions 20000] [--dist dist/target/mcpgw] [--backend http|stdio]
 *     [--isolation session|tenant|shared]</pre>
 */
public final class LoadHarness {

    private static final String ACCEPT = "application/json, text/event-stream";
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Calls whose connection broke (a keep-alive race of the JDK client); counted, not timed. */
    private final AtomicLong failures = new AtomicLong();

    public static void main(String[] args) throws Exception {
        new LoadHarness().run(option(args, "--dist", "dist/target/mcpgw"), Integer.parseInt(option(args, "--seconds", "10")),
                Integer.parseInt(option(args, "--warmup", "30")), Integer.parseInt(option(args, "--sessions", "20000")),
                option(args, "--backend", "http"), option(args, "--isolation", ""));
    }

    /**
     * @param backendKind {@code http}: the gateway forwards to the minimal HTTP backend; {@code stdio}: to the
     *     bundled demo backend over stdio (no HTTP client on the way out)
     * @param isolation the backend's {@code isolation}; empty for the transport's default
     */
    private void run(String distribution, int seconds, int warmup, int sessions, String backendKind, String isolation) throws Exception {
        try (MinimalHttpBackend backend = new MinimalHttpBackend()) {
            Path home = copyInstallTree(Path.of(distribution));
            String backendSection = backendKind.equals("stdio")
                    ? "transport: stdio\n    command: [\"bin/mcpgw-demo-backend\"]"
                    : "transport: http\n    url: " + backend.uri();
            if (!isolation.isEmpty()) {
                backendSection += "\n    isolation: " + isolation;
            }
            Files.writeString(home.resolve("conf/mcpgw.yaml"), """
                    server:
                      port: 0
                      sessionIdleTimeout: 1h
                    backends:
                      - id: bench
                        %s
                    """.formatted(backendSection));
            System.out.printf(Locale.ROOT, "mcpgw load harness: Java %s, %d cores%n", Runtime.version().feature(),
                    Runtime.getRuntime().availableProcessors());
            // The first start writes the class-data archive that later starts use.
            Launched first = launch(home);
            first.process().destroy();
            first.process().waitFor();
            Files.deleteIfExists(home.resolve("var/run/mcpgw.json"));
            Launched second = launch(home);
            Process gateway = second.process();
            long cold = first.nanosToFirstCall();
            long warm = second.nanosToFirstCall();
            System.out.printf(Locale.ROOT, "start to first answered tools/call: %.0f ms (first start ever: %.0f ms)%n",
                    warm / 1e6, cold / 1e6);
            try {
                URI endpoint = awaitAddress(home, gateway).resolve("/mcp");
                Target direct = new Target(backend.uri(), "echo");
                Target through = new Target(endpoint, "bench__echo");

                // Until the JIT has settled: on two cores C2 alone takes tens of seconds of CPU.
                measure(through, 16, warmup);
                measure(through, 1, warmup / 3);
                measure(direct, 16, warmup / 3);
                System.out.printf(Locale.ROOT, "%-12s %-8s %10s %9s %9s %22s%n", "concurrency", "target", "calls/s", "p50 ms",
                        "p99 ms", "gateway CPU us/call");
                for (int concurrency : List.of(1, 16)) {
                    Result alone = measure(direct, concurrency, seconds);
                    print(concurrency, "direct", alone, "");
                    Duration cpuBefore = cpu(gateway);
                    Result proxied = measure(through, concurrency, seconds);
                    double cpuPerCall = (cpu(gateway).minus(cpuBefore).toNanos() / 1e3) / proxied.calls();
                    print(concurrency, "gateway", proxied, String.format(Locale.ROOT, "%.1f", cpuPerCall));
                    System.out.printf(Locale.ROOT, "             added p50 %.3f ms, p99 %.3f ms%n",
                            (proxied.p50() - alone.p50()) / 1e6, (proxied.p99() - alone.p99()) / 1e6);
                }
                System.out.printf(Locale.ROOT, "connection failures (not timed): %d%n", failures.get());
                System.out.printf(Locale.ROOT, "retained heap per idle client session: %.2f KiB (%d sessions)%n",
                        retainedPerSession(gateway.pid(), endpoint, sessions) / 1024.0, sessions);
            } finally {
                gateway.destroy();
                gateway.waitFor();
            }
        }
    }

    private record Result(long calls, double seconds, long p50, long p99) {
        double rate() {
            return calls / seconds;
        }
    }

    private static void print(int concurrency, String target, Result result, String cpu) {
        System.out.printf(Locale.ROOT, "%-12d %-8s %10.0f %9.3f %9.3f %22s%n", concurrency, target, result.rate(),
                result.p50() / 1e6, result.p99() / 1e6, cpu);
    }

    /** Where calls go, and the name the echo tool has there. */
    private record Target(URI endpoint, String tool) {}

    private Result measure(Target target, int concurrency, int seconds) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Future<long[]>> workers = new ArrayList<>();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < concurrency; i++) {
                workers.add(pool.submit(() -> callUntil(target, deadline)));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> worker : workers) {
                all.add(worker.get());
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long[] latencies = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            return new Result(latencies.length, elapsed, latencies[latencies.length / 2], latencies[(int) (latencies.length * 0.99)]);
        }
    }

    private long[] callUntil(Target target, long deadline) throws IOException, InterruptedException {
        String session = initialize(target.endpoint());
        HttpRequest call = post(target.endpoint(), session,
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"" + target.tool()
                        + "\",\"arguments\":{\"text\":\"hello\"}}}");
        long[] latencies = new long[1 << 16];
        int count = 0;
        while (System.nanoTime() < deadline) {
            long began = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = http.send(call, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                failures.incrementAndGet();
                continue;
            }
            long took = System.nanoTime() - began;
            if (response.statusCode() != 200 || !response.body().contains("\"hello\"")) {
                throw new IllegalStateException("unexpected answer " + response.statusCode() + ": " + response.body());
            }
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = took;
        }
        return Arrays.copyOf(latencies, count);
    }

    private String initialize(URI endpoint) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(post(endpoint, null, """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",
                 "capabilities":{},"clientInfo":{"name":"load-harness","version":"1"}}}"""), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("initialize answered " + response.statusCode() + ": " + response.body());
        }
        return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    private static HttpRequest post(URI endpoint, String session, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json").header("Accept", ACCEPT)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            builder.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", "2025-11-25");
        }
        return builder.build();
    }

    /** A gateway process, and how long it took from launch to its first answered tools/call. */
    private record Launched(Process process, long nanosToFirstCall) {}

    private Launched launch(Path home) throws Exception {
        long launched = System.nanoTime();
        Process process = new ProcessBuilder(home.resolve("bin/mcpgw").toString(), "run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("gateway.out").toFile()))
                .start();
        return new Launched(process, awaitFirstCall(awaitAddress(home, process).resolve("/mcp")) - launched);
    }

    private URI awaitAddress(Path home, Process gateway) throws Exception {
        Path state = home.resolve("var/run/mcpgw.json");
        Pattern http = Pattern.compile("\"http\":\"([^\"]+)\"");
        while (gateway.isAlive()) {
            if (Files.exists(state)) {
                Matcher matcher = http.matcher(Files.readString(state));
                if (matcher.find()) {
                    return URI.create(matcher.group(1));
                }
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("gateway exited: see " + home.resolve("gateway.out"));
    }

    private long awaitFirstCall(URI endpoint) throws InterruptedException {
        while (true) {
            try {
                String session = initialize(endpoint);
                HttpResponse<String> response = http.send(post(endpoint, session, "{\"jsonrpc\":\"2.0\",\"id\":2,"
                        + "\"method\":\"tools/call\",\"params\":{\"name\":\"bench__echo\",\"arguments\":{\"text\":\"hello\"}}}"),
                        HttpResponse.BodyHandlers.ofString());
                if (response.body().contains("\"hello\"")) {
                    return System.nanoTime();
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
    }

    private static Duration cpu(Process process) {
        return process.toHandle().info().totalCpuDuration().orElseThrow();
    }

    private double retainedPerSession(long pid, URI endpoint, int sessions) throws Exception {
        long before = heapUsedAfterGc(pid);
        for (int i = 0; i < sessions; i++) {
            initialize(endpoint);
        }
        long after = heapUsedAfterGc(pid);
        return (after - before) * 1024.0 / sessions;
    }

    /** Heap in use after a full GC, in KiB, read with jcmd. */
    private static long heapUsedAfterGc(long pid) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        Process info = new ProcessBuilder(jcmd, Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
        String output = new String(info.getInputStream().readAllBytes());
        info.waitFor();
        Matcher used = HEAP_USED.matcher(output);
        if (!used.find()) {
            throw new IllegalStateException("jcmd GC.heap_info gave no heap figure: " + output);
        }
        return Long.parseLong(used.group(1));
    }

    private static Path copyInstallTree(Path distribution) throws IOException {
        Path home = Files.createTempDirectory("mcpgw-bench");
        try (Stream<Path> files = Files.walk(distribution)) {
            for (Path source : files.toList()) {
                Path target = home.resolve(distribution.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return home;
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
