package io.mcpgw.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A node HTTP server from the npm peers on a free loopback port, which it reads from {@code PORT}; its output in
 * {@code log}, ended (by its pid) when closed.
 */
public final class NodeHttpServer implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 50;

    private final String url;
    private final Process process;

    /** Runs {@code node arguments...}; {@code name} says which server in an error. */
    public NodeHttpServer(Path node, List<String> arguments, Path log, String name) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(node.toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PORT", Integer.toString(port));
        process = builder.start();
        url = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + START.toNanos();
        while (!accepts(port)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                close();
                throw new IOException(name + " did not listen on " + port + " within " + START.toSeconds() + " s (see " + log + ")");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Its base URL, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return url;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    private static boolean accepts(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
