package io.mcpgw.plugins.transport.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * What an SSH server does with an exec request: {@code /bin/sh -c <command>} as a real child process, with the
 * variables the server accepted, its stdin, stdout and stderr carried over the channel, TERM and KILL signals
 * delivered to it and its descendants, and its exit code sent back. A channel closed under it kills it.
 */
final class TestingRemoteProcess implements Command {

    private static final List<String> BASE = List.of("PATH", "HOME", "LANG", "TMPDIR");

    private final String command;
    private final Consumer<Process> started;
    private final Consumer<Signal> signalled;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;

    TestingRemoteProcess(String command, Consumer<Process> started, Consumer<Signal> signalled) {
        this.command = command;
        this.started = started;
        this.signalled = signalled;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback exit) {
        this.exit = exit;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command);
        builder.environment().keySet().retainAll(BASE);
        builder.environment().putAll(Map.copyOf(env.getEnv()));
        process = builder.start();
        started.accept(process);
        env.addSignalListener((ignored, signal) -> {
            signalled.accept(signal);
            end(signal == Signal.KILL);
        }, Signal.TERM, Signal.KILL);
        Thread stdin = pump("ssh-test-in", in, process.getOutputStream(), true);
        Thread stdout = pump("ssh-test-out", process.getInputStream(), out, false);
        Thread stderr = pump("ssh-test-err", process.getErrorStream(), err, false);
        Thread.ofPlatform().daemon().name("ssh-test-exit").start(() -> {
            try {
                int code = process.waitFor();
                stdout.join(2000);
                stderr.join(2000);
                stdin.interrupt();
                exit.onExit(code);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static Thread pump(String name, InputStream from, OutputStream to, boolean closeAtEnd) {
        return Thread.ofPlatform().daemon().name(name).start(() -> {
            byte[] buffer = new byte[8192];
            try {
                int read;
                while ((read = from.read(buffer)) >= 0) {
                    to.write(buffer, 0, read);
                    to.flush();
                }
            } catch (IOException e) {
                // the process or the channel went away; the exit watcher reports how it ended
            } finally {
                if (closeAtEnd) {
                    try {
                        to.close();
                    } catch (IOException ignored) {
                        // already closed by the process's exit
                    }
                }
            }
        });
    }

    private void end(boolean force) {
        Process running = process;
        if (running == null) {
            return;
        }
        running.descendants().forEach(child -> {
            if (force) {
                child.destroyForcibly();
            } else {
                child.destroy();
            }
        });
        if (force) {
            running.destroyForcibly();
        } else {
            running.destroy();
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        end(true);
    }
}
