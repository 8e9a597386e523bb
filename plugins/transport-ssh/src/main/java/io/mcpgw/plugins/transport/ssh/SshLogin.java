package io.mcpgw.plugins.transport.ssh;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * What a connection logs in with: the private keys and the password, from the backend's {@code identityFile} or from
 * the credential broker ({@value #PRIVATE_KEY}, {@value #PRIVATE_KEY_PASSWORD}, {@value #PASSWORD}). Connections with
 * the same login share one SSH connection. {@link #toString()} names key fingerprints only, never a secret.
 */
final class SshLogin {

    /** A credential variable holding a private key's text (OpenSSH or PEM); it replaces the {@code identityFile}. */
    static final String PRIVATE_KEY = "SSH_PRIVATE_KEY";
    /** A credential variable holding the passphrase of {@value #PRIVATE_KEY}. */
    static final String PRIVATE_KEY_PASSWORD = "SSH_PRIVATE_KEY_PASSWORD";
    /** A credential variable holding the user's password, tried after the keys. */
    static final String PASSWORD = "SSH_PASSWORD";
    /** The credential variables the transport consumes; they are never sent to the remote command. */
    static final Set<String> VARIABLES = Set.of(PRIVATE_KEY, PRIVATE_KEY_PASSWORD, PASSWORD);

    private final List<KeyPair> keys;
    private final String password;
    /** Fingerprints of the keys and a digest of the password: what makes two logins the same. */
    private final String sameness;

    private SshLogin(List<KeyPair> keys, String password) {
        this.keys = List.copyOf(keys);
        this.password = password;
        this.sameness = fingerprints() + "|" + (password == null ? "" : sha256(password));
    }

    /** The login for a connection: the broker's key instead of the file's when it gives one, and its password. */
    static SshLogin of(List<KeyPair> fileKeys, Map<String, String> credentials) throws IOException {
        String keyText = credentials.get(PRIVATE_KEY);
        List<KeyPair> keys = keyText == null ? fileKeys
                : readKeys("the credential " + PRIVATE_KEY, new ByteArrayInputStream(keyText.getBytes(StandardCharsets.UTF_8)),
                        credentials.get(PRIVATE_KEY_PASSWORD));
        String password = credentials.get(PASSWORD);
        if (keys.isEmpty() && password == null) {
            throw new IOException("no key or password to log in with: set identityFile, or give " + PRIVATE_KEY + " or " + PASSWORD
                    + " through the credential broker");
        }
        return new SshLogin(keys, password);
    }

    /** The key pairs of a private key file. */
    static List<KeyPair> readKeys(Path file, String password) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readKeys(file.toString(), in, password);
        }
    }

    private static List<KeyPair> readKeys(String source, InputStream in, String password) throws IOException {
        Collection<KeyPair> pairs;
        try {
            pairs = SecurityUtils.getKeyPairResourceParser().loadKeyPairs(null, NamedResource.ofName(source),
                    password == null ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(password), in);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // Neither the parser's message nor the cause goes on: they may quote bytes of the key.
            throw new IOException(source + " is not a private key that can be read (ed25519, ECDSA or RSA, OpenSSH or PEM; "
                    + "is its passphrase right?): " + e.getClass().getSimpleName());
        }
        if (pairs == null || pairs.isEmpty()) {
            throw new IOException(source + " holds no private key (ed25519, ECDSA or RSA, OpenSSH or PEM)");
        }
        return List.copyOf(pairs);
    }

    /** Offers the keys, then the password, to the server. */
    void applyTo(ClientSession session) {
        keys.forEach(session::addPublicKeyIdentity);
        if (password != null) {
            session.addPasswordIdentity(password);
        }
    }

    private String fingerprints() {
        return keys.stream().map(pair -> KeyUtils.getFingerPrint(pair.getPublic())).collect(Collectors.joining(","));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SshLogin login && login.sameness.equals(sameness);
    }

    @Override
    public int hashCode() {
        return sameness.hashCode();
    }

    @Override
    public String toString() {
        return "SshLogin[keys=" + fingerprints() + ", password=" + (password == null ? "no" : "yes") + "]";
    }
}
