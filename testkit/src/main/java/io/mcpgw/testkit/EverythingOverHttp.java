package io.mcpgw.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code @modelcontextprotocol/server-everything} in one of its HTTP modes ({@code streamableHttp} or {@code sse}),
 * run with {@code node} on a free port (it reads {@code PORT}), its output in {@code log}, ended when closed.
 */
public final class EverythingOverHttp implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 50;

    private final String url;
    private final Process process;

    public EverythingOverHttp(Path node, Path server, String mode, Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(node.toString(), server.toString(), mode)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("PORT", Integer.toString(port));
        process = builder.start();
        url = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + START.toNanos();
        while (!accepts(port)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                close();
                throw new IOException("server-everything " + mode + " did not listen on " + port + " within " + START.toSeconds() + " s");
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
