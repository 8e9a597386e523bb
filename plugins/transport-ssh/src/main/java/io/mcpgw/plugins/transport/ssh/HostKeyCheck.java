package io.mcpgw.plugins.transport.ssh;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Host keys checked against the backend's {@code known_hosts}: a host that is not in it, or whose key changed, is
 * refused (never learnt), and the reason is kept on the session for the error the gateway reports.
 */
final class HostKeyCheck extends KnownHostsServerKeyVerifier {

    /** Why the server's key was refused. */
    static final AttributeKey<String> REFUSAL = new AttributeKey<>();

    private final Path knownHosts;

    HostKeyCheck(Path knownHosts) {
        super(RejectAllServerKeyVerifier.INSTANCE, knownHosts);
        this.knownHosts = knownHosts;
        setModifiedServerKeyAcceptor(this);
    }

    @Override
    protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
        session.setAttribute(REFUSAL, "the host key of " + session.getConnectAddress() + " (" + describe(key) + ") is not in "
                + knownHosts + "; add it there once it is verified");
        return false;
    }

    @Override
    public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remote, KnownHostEntry entry, PublicKey expected,
            PublicKey actual) {
        session.setAttribute(REFUSAL, "the host key of " + session.getConnectAddress() + " has CHANGED: " + knownHosts + " has "
                + describe(expected) + ", the server offered " + describe(actual) + "; refusing to connect");
        return false;
    }

    private static String describe(PublicKey key) {
        return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
    }
}
