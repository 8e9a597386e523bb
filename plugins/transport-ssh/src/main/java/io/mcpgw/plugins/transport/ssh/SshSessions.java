package io.mcpgw.plugins.transport.ssh;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The SSH connections of one backend, one per login, shared by the channels (remote commands) that use it, and
 * closed with the last of them. A connection that cannot be made is not tried again for that login before a
 * backoff (1 s, doubling to 30 s) has passed; an open that comes sooner fails at once with the last reason.
 */
final class SshSessions implements AutoCloseable {

    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);
    /** Signatures on SHA-1 or DSA are never accepted, for host keys or user keys. */
    private static final Set<String> WEAK = Set.of("ssh-rsa", "ssh-rsa-cert-v01@openssh.com", "ssh-dss", "ssh-dss-cert-v01@openssh.com");

    /** A login's connection, the channels using it, and its backoff after failures; guarded by {@link SshSessions}. */
    private static final class Shared {
        ClientSession session;
        int users;
        Duration backoff = Duration.ZERO;
        Instant notBefore = Instant.MIN;
        String lastFailure;
    }

    private final SshSettings settings;
    private final Clock clock;
    private final SshClient client;
    private final HostKeyCheck hostKeys;
    private final Map<SshLogin, Shared> sessions = new HashMap<>();

    SshSessions(SshSettings settings, HostKeyCheck hostKeys, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.hostKeys = hostKeys;
        this.client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(hostKeys);
        // Nothing of the gateway user's own SSH setup applies: no ~/.ssh/config, no default keys, no agent.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setAgentFactory(null);
        client.setSignatureFactories(client.getSignatureFactories().stream().filter(factory -> !WEAK.contains(factory.getName())).toList());
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, settings.keepAliveInterval());
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, settings.keepAliveMaxMissed());
        CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
        client.start();
    }

    /**
     * The open connection for {@code login}, made now when there is none; each successful call must be
     * {@linkplain #release released}. Connecting holds the lock: opens that come meanwhile wait for its outcome.
     */
    synchronized ClientSession acquire(SshLogin login) throws IOException {
        Shared shared = sessions.computeIfAbsent(login, key -> new Shared());
        if (shared.session == null || !shared.session.isOpen() || shared.session.isClosing()) {
            Instant now = clock.instant();
            if (now.isBefore(shared.notBefore)) {
                throw new IOException(shared.lastFailure + " (next attempt in "
                        + Math.max(1, Duration.between(now, shared.notBefore).toSeconds()) + " s)");
            }
            try {
                shared.session = connect(login);
            } catch (IOException e) {
                shared.backoff = shared.backoff.isZero() ? FIRST_RETRY
                        : shared.backoff.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : shared.backoff.multipliedBy(2);
                shared.notBefore = now.plus(shared.backoff);
                shared.lastFailure = e.getMessage();
                throw e;
            }
            shared.backoff = Duration.ZERO;
            shared.notBefore = Instant.MIN;
        }
        shared.users++;
        return shared.session;
    }

    /** One user of {@code login}'s connection is gone; the last one closes it. */
    synchronized void release(SshLogin login) {
        Shared shared = sessions.get(login);
        if (shared == null || --shared.users > 0) {
            return;
        }
        sessions.remove(login);
        if (shared.session != null) {
            shared.session.close(false);
        }
    }

    private ClientSession connect(SshLogin login) throws IOException {
        Duration timeout = settings.connectTimeout();
        ClientSession session;
        try {
            session = client.connect(settings.user(), settings.host(), settings.port()).verify(timeout).getSession();
        } catch (IOException e) {
            throw new IOException("cannot connect to " + settings.target() + ": " + e.getMessage(), e);
        }
        try {
            login.applyTo(session);
            session.auth().verify(timeout);
            return session;
        } catch (IOException e) {
            session.close(true);
            throw new IOException(hostKeys.takeRefusal(session).orElse("cannot log in to " + settings.target() + ": " + e.getMessage()), e);
        }
    }

    @Override
    public void close() {
        List<ClientSession> open;
        synchronized (this) {
            open = sessions.values().stream().map(shared -> shared.session).filter(session -> session != null).toList();
            sessions.clear();
        }
        open.forEach(session -> session.close(true));
        client.stop();
    }
}
