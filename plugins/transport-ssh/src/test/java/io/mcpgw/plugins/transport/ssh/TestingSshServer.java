package io.mcpgw.plugins.transport.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.channel.ChannelSessionFactory;

/**
 * Apache MINA SSHD's server on 127.0.0.1 (a free port): the real SSH protocol, one user who logs in with the
 * authorized keys or the password, exec requests run as real processes ({@link TestingRemoteProcess}), and
 * variables named in {@code refusedVariables} refused as OpenSSH refuses what its AcceptEnv does not list.
 */
final class TestingSshServer implements AutoCloseable {

    static final String USER = "mcp";

    private final SshServer server;
    private final KeyPair hostKey;
    private final List<PublicKey> authorized = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final List<Signal> signals = new CopyOnWriteArrayList<>();
    private final AtomicInteger logins = new AtomicInteger();
    private volatile String password;

    TestingSshServer(KeyPair hostKey, Set<String> refusedVariables) throws IOException {
        this.hostKey = hostKey;
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        server.setPublickeyAuthenticator((user, key, session) -> USER.equals(user)
                && authorized.stream().anyMatch(known -> KeyUtils.compareKeys(known, key)));
        server.setPasswordAuthenticator((user, given, session) -> USER.equals(user) && given.equals(password));
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionEvent(Session session, Event event) {
                if (event == Event.Authenticated) {
                    logins.incrementAndGet();
                }
            }
        });
        server.setChannelFactories(List.of(new ChannelSessionFactory() {
            @Override
            public Channel createChannel(Session session) {
                return new ChannelSession() {
                    @Override
                    protected RequestHandler.Result handleEnvParsed(String name, String value) throws IOException {
                        return refusedVariables.contains(name) ? RequestHandler.Result.ReplyFailure : super.handleEnvParsed(name, value);
                    }
                };
            }
        }));
        server.setCommandFactory((channel, command) -> new TestingRemoteProcess(command, processes::add, signals::add));
        server.start();
    }

    TestingSshServer(KeyPair hostKey) throws IOException {
        this(hostKey, Set.of());
    }

    TestingSshServer authorize(PublicKey key) {
        authorized.add(key);
        return this;
    }

    TestingSshServer password(String password) {
        this.password = password;
        return this;
    }

    int port() {
        return server.getPort();
    }

    /** A known_hosts line for this server as OpenSSH writes it for a port other than 22. */
    String knownHostsLine(PublicKey key) {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key) + "\n";
    }

    KeyPair hostKey() {
        return hostKey;
    }

    /** The processes exec requests started, in order. */
    List<Process> processes() {
        return List.copyOf(processes);
    }

    /** The signals clients sent to their commands, in order. */
    List<Signal> signals() {
        return List.copyOf(signals);
    }

    /** Successful logins so far. */
    int logins() {
        return logins.get();
    }

    /** Cuts every client's TCP connection, without an SSH goodbye: what a dropped network looks like. */
    void dropConnections() {
        server.getActiveSessions().forEach(session -> session.getIoSession().close(true));
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
        processes.forEach(Process::destroyForcibly);
    }

    static KeyPair ed25519() {
        return generate(KeyPairProvider.SSH_ED25519, 256);
    }

    static KeyPair ecdsa() {
        return generate(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
    }

    static KeyPair rsa() {
        return generate(KeyPairProvider.SSH_RSA, 3072);
    }

    private static KeyPair generate(String type, int bits) {
        try {
            return KeyUtils.generateKeyPair(type, bits);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key in OpenSSH's file format, unencrypted. */
    static String openSshPrivateKey(KeyPair pair) {
        return openSshPrivateKey(pair, null);
    }

    /** The private key in OpenSSH's file format, encrypted (AES-256-CTR, bcrypt) when a passphrase is given. */
    static String openSshPrivateKey(KeyPair pair, String passphrase) {
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setPassword(passphrase);
            encryption.setCipherName("AES");
            encryption.setCipherMode("CTR");
            encryption.setCipherType("256");
            encryption.setKdfRounds(4);
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "mcpgw-test", encryption, out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
