package io.mcpgw.plugins.transport.ssh;

import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.InboundHandler;
import io.mcpgw.spi.transport.NotDeliveredException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One remote command on its own channel: newline-delimited JSON-RPC on its stdin and stdout, its stderr to the log
 * under the backend's id. Closing sends end-of-file on its stdin, then the signals TERM and KILL where the server
 * delivers them, then closes the channel.
 */
final class SshConnection implements BackendConnection {

    private static final long GRACE_MILLIS = 2000;
    private static final Set<ClientChannelEvent> ENDED = EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS,
            ClientChannelEvent.EXIT_SIGNAL);

    private final String backendId;
    private final String target;
    private final RemoteCommandChannel channel;
    private final Runnable release;
    private final InboundHandler inbound;
    private final OutputStream stdin;
    private final Logger log;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean closedReported = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();

    SshConnection(String backendId, String target, RemoteCommandChannel channel, Runnable release, InboundHandler inbound) {
        this.backendId = backendId;
        this.target = target;
        this.channel = channel;
        this.release = release;
        this.inbound = inbound;
        this.stdin = channel.getInvertedIn();
        this.log = LoggerFactory.getLogger("mcpgw.backend." + backendId);
        Thread.ofPlatform().daemon().name("ssh-out-" + backendId).start(this::readStdout);
        Thread.ofPlatform().daemon().name("ssh-err-" + backendId).start(this::readStderr);
    }

    @Override
    public void send(String json) throws IOException {
        if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a message over SSH must not contain a line break");
        }
        byte[] line = (json + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (stdin) {
            if (!isOpen()) {
                throw new NotDeliveredException("backend '" + backendId + "': the remote command on " + target + " is not running");
            }
            try {
                stdin.write(line);
                stdin.flush();
            } catch (IOException e) {
                // Bytes may have left before the connection broke: the message may have arrived, so it is not sent again.
                throw new IOException("backend '" + backendId + "': the SSH connection to " + target + " broke while sending: "
                        + e.getMessage(), e);
            }
        }
    }

    @Override
    public boolean isOpen() {
        return !closing.get() && channel.isOpen() && !channel.isClosing() && channel.getExitStatus() == null
                && channel.getSession().isOpen();
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            synchronized (stdin) {
                stdin.close();
            }
            if (!ended()) {
                channel.signal("TERM");
                if (!ended()) {
                    channel.signal("KILL");
                    ended();
                }
            }
        } catch (IOException e) {
            log.debug("ending the remote command of backend '{}': {}", backendId, e.getMessage());
        }
        closeChannel();
    }

    private boolean ended() {
        return !Collections.disjoint(channel.waitFor(ENDED, GRACE_MILLIS), ENDED);
    }

    private void closeChannel() {
        if (!channel.close(false).awaitUninterruptibly(GRACE_MILLIS)) {
            channel.close(true);
        }
        if (released.compareAndSet(false, true)) {
            release.run();
        }
    }

    private void readStdout() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(channel.getInvertedOut(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    inbound.onMessage(line);
                }
            }
        } catch (IOException e) {
            log.debug("stdout of backend '{}' ended: {}", backendId, e.getMessage());
        }
        reportClosed();
    }

    private void readStderr() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(channel.getInvertedErr(), StandardCharsets.UTF_8))) {
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
        channel.waitFor(ENDED, GRACE_MILLIS);
        String why;
        if (channel.getExitStatus() != null) {
            why = "the remote command on " + target + " exited with code " + channel.getExitStatus();
        } else if (channel.getExitSignal() != null) {
            why = "the remote command on " + target + " was ended by signal " + channel.getExitSignal();
        } else if (!channel.getSession().isOpen()) {
            why = "the SSH connection to " + target + " was lost";
        } else {
            why = "the remote command on " + target + " closed its stdout";
        }
        closing.set(true);
        closeChannel();
        inbound.onClosed(Optional.of(new IOException("backend '" + backendId + "': " + why)));
    }
}
