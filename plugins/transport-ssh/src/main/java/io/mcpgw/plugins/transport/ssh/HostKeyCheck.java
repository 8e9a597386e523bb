package io.mcpgw.plugins.transport.ssh;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Host keys checked against the backend's {@code known_hosts}: a host that is not in it, or whose key changed, is
 * refused (never learnt), and the reason is kept here for the error the gateway reports. Not on the session: a refused
 * session closes on MINA's thread, and a closed session's attributes are cleared, perhaps before the connecting
 * thread reads them.
 */
final class HostKeyCheck extends KnownHostsServerKeyVerifier {

    /** Why each refused session's server key was refused, until the connecting thread takes it. */
    private final Map<ClientSession, String> refusals = new ConcurrentHashMap<>();

    private final Path knownHosts;

    HostKeyCheck(Path knownHosts) {
        super(RejectAllServerKeyVerifier.INSTANCE, knownHosts);
        this.knownHosts = knownHosts;
        setModifiedServerKeyAcceptor(this);
    }

    @Override
    protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
        refusals.put(session, "the host key of " + session.getConnectAddress() + " (" + describe(key) + ") is not in "
                + knownHosts + "; add it there once it is verified");
        return false;
    }

    @Override
    public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remote, KnownHostEntry entry, PublicKey expected,
            PublicKey actual) {
        refusals.put(session, "the host key of " + session.getConnectAddress() + " has CHANGED: " + knownHosts + " has "
                + describe(expected) + ", the server offered " + describe(actual) + "; refusing to connect");
        return false;
    }

    /** Why {@code session}'s server key was refused, if it was; asked once per failed connection. */
    Optional<String> takeRefusal(ClientSession session) {
        return Optional.ofNullable(refusals.remove(session));
    }

    private static String describe(PublicKey key) {
        return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
    }
}
