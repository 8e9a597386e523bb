package io.mcpgw.server.transport.stdio;

import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.InboundHandler;
import io.mcpgw.spi.transport.NotDeliveredException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One child process: newline-delimited JSON-RPC on its stdin and stdout, its stderr to the log under the
 * backend's id. Closing follows the MCP stdio shutdown order: close stdin, then SIGTERM, then SIGKILL, each to
 * the child's whole process group. A line longer than {@code maxMessageBytes} is not buffered: the connection
 * reports itself closed with that reason (so the calls in flight fail and the pool opens another) and the child is
 * ended.
 */
final class StdioConnection implements BackendConnection {

    private static final long GRACE_MILLIS = 2000;

    private final String backendId;
    private final Process process;
    private final boolean ownGroup;
    private final int maxMessageBytes;
    private final InboundHandler inbound;
    private final Writer stdin;
    private final Logger log;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean closedReported = new AtomicBoolean();

    StdioConnection(String backendId, Process process, boolean ownGroup, int maxMessageBytes, InboundHandler inbound) {
        this.backendId = backendId;
        this.process = process;
        this.ownGroup = ownGroup;
        this.maxMessageBytes = maxMessageBytes;
        this.inbound = inbound;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.log = LogManager.getLogger("mcpgw.backend." + backendId);
        // Platform threads: a pipe read blocks in native code and would hold a virtual thread's carrier, and on a
        // small machine every carrier could end up under a pipe while requests wait to run.
        Thread.ofPlatform().daemon().name("stdio-out-" + backendId).start(this::readStdout);
        Thread.ofPlatform().daemon().name("stdio-err-" + backendId).start(this::readStderr);
    }

    @Override
    public void send(String json) throws IOException {
        if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a stdio message must not contain a line break");
        }
        synchronized (stdin) {
            if (!isOpen()) {
                throw new NotDeliveredException("backend '" + backendId + "' process is not running");
            }
            try {
                stdin.write(json);
                stdin.write('\n');
                stdin.flush();
            } catch (IOException e) {
                // The pipe broke: the child stopped reading, so no whole line (and so no message) reached it.
                throw new NotDeliveredException("backend '" + backendId + "' no longer reads its stdin: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public boolean isOpen() {
        return !closing.get() && process.isAlive();
    }

    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            end();
        }
    }

    /** Closes stdin, then signals the child until it is gone. */
    private void end() {
        try {
            synchronized (stdin) {
                stdin.close();
            }
        } catch (IOException ignored) {
            // the child may be gone already; the signals below still apply
        }
        if (!waitForExit(GRACE_MILLIS)) {
            signal("TERM");
            if (!waitForExit(GRACE_MILLIS)) {
                signal("KILL");
                waitForExit(GRACE_MILLIS);
            }
        }
        if (ownGroup) {
            signal("KILL");
        }
    }

    private void readStdout() {
        try (InputStream stdout = process.getInputStream()) {
            BoundedLineReader reader = new BoundedLineReader(stdout, maxMessageBytes);
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    inbound.onMessage(line);
                }
            }
        } catch (BoundedLineReader.TooLong e) {
            endOversized();
            return;
        } catch (IOException e) {
            log.debug("stdout of backend '{}' ended: {}", backendId, e.getMessage());
        }
        reportClosed();
    }

    /** The child wrote a line past the limit: what is left of it is never read, and the child is replaced. */
    private void endOversized() {
        IOException why = new IOException("backend '" + backendId + "' sent a message longer than maxMessageBytes ("
                + maxMessageBytes + " bytes); its process was ended");
        log.error(why.getMessage());
        if (closing.compareAndSet(false, true)) {
            closedReported.set(true);
            inbound.onClosed(Optional.of(why));
            end();
        } else {
            reportClosed();
        }
    }

    private void readStderr() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.info("[{}] {}", backendId, line);
            }
        } catch (IOException e) {
            log.debug("stderr of backend '{}' ended: {}", backendId, e.getMessage());
        }
    }

    private void reportClosed() {
        if (!closedReported.compareAndSet(false, true)) {
            return;
        }
        if (closing.get()) {
            inbound.onClosed(Optional.empty());
            return;
        }
        waitForExit(GRACE_MILLIS);
        String why = process.isAlive() ? "closed its stdout" : "exited with code " + process.exitValue();
        inbound.onClosed(Optional.of(new IOException("backend '" + backendId + "' process " + why)));
    }

    private boolean waitForExit(long millis) {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Signals the child's process group when it has one of its own, else the child and its descendants. */
    private void signal(String signal) {
        if (ownGroup && ProcessGroups.signal(process.pid(), signal)) {
            return;
        }
        boolean force = signal.equals("KILL");
        process.descendants().forEach(child -> {
            if (force) {
                child.destroyForcibly();
            } else {
                child.destroy();
            }
        });
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
    }
}
