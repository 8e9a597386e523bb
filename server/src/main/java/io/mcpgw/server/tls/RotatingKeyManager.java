package io.mcpgw.server.tls;

import io.mcpgw.server.io.SettledChange;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Presents the certificate and key of two PEM files, read again when they change (once the change has settled):
 * each new handshake asks the current pair, so a rotated certificate is used without a restart, and connections
 * open keep theirs. A new pair that does not check out is refused, said in the log, and the previous one kept.
 * An alias names the pair it was chosen from, so a handshake that chose just before a swap still gets a
 * certificate and a key that belong together.
 */
final class RotatingKeyManager extends X509ExtendedKeyManager implements AutoCloseable {

    private static final Logger LOG = LogManager.getLogger(RotatingKeyManager.class);

    private final String owner;
    private final Path certificateFile;
    private final Path keyFile;
    private final Thread watching;
    private volatile Generation current;
    private volatile Generation previous;

    /** One pair read, numbered. */
    private record Generation(long number, KeyMaterial material) {
        String alias(String alias) {
            return alias == null ? null : number + ":" + alias;
        }
    }

    /**
     * Reads the pair now, failing when it does not check out, and looks at the files every {@code interval}.
     *
     * @param owner whose certificate it is, for the log, e.g. {@code the MCP listener}
     */
    RotatingKeyManager(String owner, Path certificateFile, Path keyFile, Duration interval) throws IOException {
        this.owner = owner;
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.current = new Generation(0, KeyMaterial.read(certificateFile, keyFile));
        this.previous = current;
        SettledChange change = new SettledChange(List.of(certificateFile, keyFile));
        this.watching = Thread.ofVirtual().name("tls-watch").start(() -> watch(change, interval));
    }

    private void watch(SettledChange change, Duration interval) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(interval.toMillis());
                if (change.check()) {
                    reload();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reload() {
        try {
            KeyMaterial next = KeyMaterial.read(certificateFile, keyFile);
            previous = current;
            current = new Generation(previous.number() + 1, next);
            LOG.info("TLS certificate of {} reloaded from {}: {}", owner, certificateFile, next.describe());
        } catch (IOException e) {
            LOG.error("TLS certificate of {} not reloaded: {}; keeping the previous one ({})", owner, e.getMessage(),
                    current.material().describe());
        }
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliases(current.material().keyManager().getClientAliases(keyType, issuers));
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        Generation now = current;
        return now.alias(now.material().keyManager().chooseClientAlias(keyType, issuers, socket));
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        Generation now = current;
        return now.alias(now.material().keyManager().chooseEngineClientAlias(keyType, issuers, engine));
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return aliases(current.material().keyManager().getServerAliases(keyType, issuers));
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        Generation now = current;
        return now.alias(now.material().keyManager().chooseServerAlias(keyType, issuers, socket));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        Generation now = current;
        return now.alias(now.material().keyManager().chooseEngineServerAlias(keyType, issuers, engine));
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Generation chosen = chosen(alias);
        return chosen == null ? null : chosen.material().keyManager().getCertificateChain(unnumbered(alias));
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Generation chosen = chosen(alias);
        return chosen == null ? null : chosen.material().keyManager().getPrivateKey(unnumbered(alias));
    }

    private String[] aliases(String[] aliases) {
        Generation now = current;
        return aliases == null ? null : Arrays.stream(aliases).map(now::alias).toArray(String[]::new);
    }

    /** The pair an alias was chosen from: the current one or the one before; null for another alias. */
    private Generation chosen(String alias) {
        int colon = alias == null ? -1 : alias.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String number = alias.substring(0, colon);
        Generation now = current;
        Generation before = previous;
        return number.equals(Long.toString(now.number())) ? now : number.equals(Long.toString(before.number())) ? before : null;
    }

    private static String unnumbered(String alias) {
        return alias.substring(alias.indexOf(':') + 1);
    }

    @Override
    public void close() {
        watching.interrupt();
    }
}
