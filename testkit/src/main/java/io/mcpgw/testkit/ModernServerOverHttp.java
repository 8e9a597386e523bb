package io.mcpgw.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code modern-server.mjs} (see {@link NpmPeers#modernServer}) over Streamable HTTP: run with {@code node} on a port of
 * its own choosing (port 0; it prints {@code PORT <n>}), in era {@code modern} (2026-07-28 only) or {@code dual}, its
 * output in {@code log}, ended when closed.
 */
public final class ModernServerOverHttp implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(30);

    private final Process process;
    private final String url;

    public ModernServerOverHttp(Path node, Path script, String era, Path log) throws IOException, InterruptedException {
        process = new ProcessBuilder(node.toString(), script.toString(), era, "http").redirectError(log.toFile()).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofVirtual().name("modern-server-out").start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("PORT ")) {
                        port.complete(Integer.parseInt(line.substring(5).trim()));
                    }
                }
                port.completeExceptionally(new IOException("modern-server.mjs ended without a port (see " + log + ")"));
            } catch (IOException | NumberFormatException e) {
                port.completeExceptionally(e);
            }
        });
        try {
            url = "http://127.0.0.1:" + port.get(START.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IOException("modern-server.mjs " + era + " http did not listen within " + START.toSeconds() + " s (see " + log + ")", e);
        }
    }

    /** Its MCP endpoint, {@code http://127.0.0.1:<port>/mcp}. */
    public String url() {
        return url + "/mcp";
    }

    /** Ends the server (the backend then is gone). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
