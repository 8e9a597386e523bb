package io.mcpgw.plugins.transport.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * An exec channel that asks the server to confirm each variable and the command itself: a refused variable is named
 * to {@code refused} (the command still runs), a refused command fails {@link #awaitStarted}. It also sends the
 * {@code signal} requests that end the command.
 */
final class RemoteCommandChannel extends ChannelExec {

    /** The variables whose answers are still due, in the order sent; the server answers requests in order. */
    private final Queue<String> variablesAwaitingReply = new ConcurrentLinkedQueue<>();
    private final Map<String, String> variables;
    private final Consumer<String> refused;
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    RemoteCommandChannel(String command, Map<String, String> variables, Consumer<String> refused) {
        super(command, StandardCharsets.UTF_8, null, Map.of());
        this.variables = Map.copyOf(variables);
        this.refused = refused;
        CoreModuleProperties.REQUEST_EXEC_REPLY.set(this, true);
        addCloseFutureListener(future -> started.completeExceptionally(new IOException("the channel closed before the command started")));
    }

    @Override
    protected void sendEnvVariables(Session session) throws IOException {
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            Buffer buffer = session.createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST,
                    variable.getKey().length() + variable.getValue().length() + Integer.SIZE);
            buffer.putUInt(getRecipient());
            buffer.putString("env");
            buffer.putBoolean(true);
            buffer.putString(variable.getKey());
            buffer.putString(variable.getValue());
            variablesAwaitingReply.add(variable.getKey());
            writePacket(buffer);
        }
    }

    @Override
    public void handleSuccess() throws IOException {
        if (variablesAwaitingReply.poll() == null) {
            super.handleSuccess();
            started.complete(null);
        }
    }

    @Override
    public void handleFailure() throws IOException {
        String variable = variablesAwaitingReply.poll();
        if (variable != null) {
            refused.accept(variable);
            return;
        }
        started.completeExceptionally(new IOException("the SSH server refused to run the command"));
        super.handleFailure();
    }

    /** Waits until the server has confirmed the command runs. */
    void awaitStarted(Duration timeout) throws IOException {
        try {
            started.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the SSH server did not confirm the command within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the command");
        }
    }

    /** Asks the server to deliver a signal ({@code TERM}, {@code KILL}) to the command; servers may ignore it. */
    void signal(String name) throws IOException {
        Buffer buffer = getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, name.length() + Integer.SIZE * 2);
        buffer.putUInt(getRecipient());
        buffer.putString("signal");
        buffer.putBoolean(false);
        buffer.putString(name);
        writePacket(buffer);
    }
}
