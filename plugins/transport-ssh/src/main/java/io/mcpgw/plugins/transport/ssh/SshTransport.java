package io.mcpgw.plugins.transport.ssh;

import io.mcpgw.spi.transport.BackendConnection;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.ConnectionRequest;
import io.mcpgw.spi.transport.InboundHandler;
import java.io.IOException;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.session.ConnectionService;
import org.slf4j.LoggerFactory;

/** Runs the backend's command on its SSH server, one channel per connection, over SSH connections shared per login. */
final class SshTransport implements BackendTransport {

    private final SshSettings settings;
    private final List<KeyPair> fileKeys;
    private final SshSessions sessions;
    private final String commandLine;

    SshTransport(SshSettings settings, List<KeyPair> fileKeys, SshSessions sessions) {
        this.settings = settings;
        this.fileKeys = fileKeys;
        this.sessions = sessions;
        this.commandLine = ShellWords.join(settings.command());
    }

    @Override
    public int maxConnections() {
        return settings.maxProcesses();
    }

    @Override
    public int maxIsolatedConnections() {
        return settings.maxProcesses();
    }

    @Override
    public BackendConnection open(ConnectionRequest request, InboundHandler inbound) throws IOException {
        return PluginClassLoader.run(() -> start(request, inbound));
    }

    private BackendConnection start(ConnectionRequest request, InboundHandler inbound) throws IOException {
        SshLogin login = SshLogin.of(fileKeys, request.environment());
        Map<String, String> variables = new LinkedHashMap<>(settings.env());
        request.environment().forEach((name, value) -> {
            if (!SshLogin.VARIABLES.contains(name)) {
                variables.put(name, value);
            }
        });
        ClientSession session = sessions.acquire(login);
        RemoteCommandChannel channel = new RemoteCommandChannel(commandLine, variables, name -> LoggerFactory
                .getLogger("mcpgw.backend." + request.backendId())
                .warn("backend '{}': the SSH server {} refused the environment variable {} (OpenSSH accepts only the names its "
                        + "AcceptEnv lists); the command runs without it", request.backendId(), settings.target(), name));
        try {
            session.getService(ConnectionService.class).registerChannel(channel);
            channel.open().verify(settings.connectTimeout());
            channel.awaitStarted(settings.connectTimeout());
        } catch (IOException e) {
            channel.close(true);
            sessions.release(login);
            throw new IOException("cannot start " + commandLine + " on " + settings.target() + ": " + e.getMessage(), e);
        }
        return new SshConnection(request.backendId(), settings.target(), channel, () -> sessions.release(login), inbound);
    }

    @Override
    public void close() {
        sessions.close();
    }
}
