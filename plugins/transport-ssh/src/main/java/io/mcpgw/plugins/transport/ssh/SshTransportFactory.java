package io.mcpgw.plugins.transport.ssh;

import io.mcpgw.spi.ExtensionContext;
import io.mcpgw.spi.transport.BackendTransport;
import io.mcpgw.spi.transport.BackendTransportFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.pf4j.Extension;

/**
 * {@code transport: ssh}: a backend whose command runs on an SSH server, speaking JSON-RPC on the remote command's
 * stdin and stdout exactly as a stdio child does. The server's host key is always checked against
 * {@code knownHosts}; the login is a key ({@code identityFile}, or {@code SSH_PRIVATE_KEY} from the credential
 * broker) or a password ({@code SSH_PASSWORD} from the broker).
 */
@Extension
public final class SshTransportFactory implements BackendTransportFactory {

    @Override
    public String name() {
        return "ssh";
    }

    @Override
    public BackendTransport create(ExtensionContext context) {
        SshSettings settings = context.config().bind(SshSettings.class);
        PluginClassLoader.run(() -> {
            PluginBouncyCastle.install();
            return null;
        });
        Path knownHosts = Path.of(settings.knownHosts());
        if (!Files.isReadable(knownHosts)) {
            throw new IllegalArgumentException("knownHosts: cannot read " + knownHosts.toAbsolutePath()
                    + " (an OpenSSH known_hosts file with the server's host key, e.g. from ssh-keyscan, verified)");
        }
        List<KeyPair> fileKeys = settings.identityFile() == null ? List.of() : identity(settings);
        return PluginClassLoader.run(() -> new SshTransport(settings, fileKeys,
                new SshSessions(settings, new HostKeyCheck(knownHosts), context.clock())));
    }

    private static List<KeyPair> identity(SshSettings settings) {
        try {
            return PluginClassLoader.run(() -> SshLogin.readKeys(Path.of(settings.identityFile()), settings.identityPassword()));
        } catch (IOException e) {
            throw new IllegalArgumentException("identityFile: " + e.getMessage());
        }
    }
}
