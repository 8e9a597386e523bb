package io.mcpgw.server.tls;

import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.TlsConfig;
import io.undertow.Undertow;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.xnio.Options;
import org.xnio.Sequence;
import org.xnio.SslClientAuthMode;

/**
 * The TLS of one listener or one backend, from its {@code tls:} section: TLS 1.3 and 1.2 only, with AEAD cipher
 * suites and forward secrecy; its own certificate (if any) read again when the files change; trust from the
 * configured CAs (for a backend without {@code ca}, the JDK's). Close it to stop watching the files.
 */
public final class TlsContext implements AutoCloseable {

    /** The protocols spoken, newest first. */
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** TLS 1.3's suites, and TLS 1.2's with ECDHE and AEAD. */
    private static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final SSLContext context;
    private final Optional<RotatingKeyManager> keys;
    private final boolean clientCertificates;
    private final Optional<RecordingTrustManager> serverTrust;

    private TlsContext(SSLContext context, Optional<RotatingKeyManager> keys, boolean clientCertificates,
            Optional<RecordingTrustManager> serverTrust) {
        this.context = context;
        this.keys = keys;
        this.clientCertificates = clientCertificates;
        this.serverTrust = serverTrust;
    }

    /**
     * A listener's: its certificate, and with {@code clientCa} the CAs every client's certificate must chain to.
     *
     * @param owner whose it is, for the log, e.g. {@code the MCP listener}
     * @param interval how often its files are looked at
     */
    public static TlsContext listener(String owner, TlsConfig config, InstallPaths paths, Duration interval) throws IOException {
        RotatingKeyManager keys = new RotatingKeyManager(owner, paths.resolve(config.certificate()), paths.resolve(config.privateKey()), interval);
        try {
            TrustManager[] trust = config.clientCa() == null ? null : new TrustManager[] {trust(paths, config.clientCa())};
            return new TlsContext(context(keys, trust), Optional.of(keys), config.clientCa() != null, Optional.empty());
        } catch (IOException | RuntimeException e) {
            keys.close();
            throw e;
        }
    }

    /** A backend's: the CAs its certificate must chain to (else the JDK's), and the certificate presented to it, if any. */
    public static TlsContext backend(String owner, Optional<TlsConfig> config, InstallPaths paths, Duration interval) throws IOException {
        Optional<RotatingKeyManager> keys = Optional.empty();
        if (config.isPresent() && config.get().certificate() != null) {
            keys = Optional.of(new RotatingKeyManager(owner, paths.resolve(config.get().certificate()),
                    paths.resolve(config.get().privateKey()), interval));
        }
        try {
            RecordingTrustManager trust = new RecordingTrustManager(
                    config.isEmpty() || config.get().ca() == null ? trust(paths, null) : trust(paths, config.get().ca()));
            return new TlsContext(context(keys.orElse(null), new TrustManager[] {trust}), keys, false, Optional.of(trust));
        } catch (IOException | RuntimeException e) {
            keys.ifPresent(RotatingKeyManager::close);
            throw e;
        }
    }

    /** Trust in the CAs of a PEM file; null: the JDK's trust store. */
    private static X509ExtendedTrustManager trust(InstallPaths paths, String caFile) throws IOException {
        return trusting(caFile == null ? null : PemFiles.certificates(paths.resolve(caFile)),
                caFile == null ? "the JDK's trust store" : paths.resolve(caFile).toString());
    }

    /**
     * A trust manager that trusts {@code authorities} (null: the JDK's trust store).
     *
     * @param source where they come from, for the message of a failure
     */
    static X509ExtendedTrustManager trusting(List<X509Certificate> authorities, String source) throws IOException {
        try {
            KeyStore store = null;
            if (authorities != null) {
                store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (int i = 0; i < authorities.size(); i++) {
                    store.setCertificateEntry("ca-" + i, authorities.get(i));
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    return extended;
                }
            }
            throw new IOException("the JDK offers no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    /** TLS that trusts what {@code trust} trusts and presents the key manager's certificate, if any. */
    static SSLContext context(RotatingKeyManager keys, TrustManager[] trust) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : new KeyManager[] {keys}, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS: " + e.getMessage(), e);
        }
    }

    public SSLContext sslContext() {
        return context;
    }

    /** An HTTPS listener on the builder with these settings. */
    public void listen(Undertow.Builder builder, int port, String host) {
        builder.addHttpsListener(port, host, context)
                .setSocketOption(Options.SSL_ENABLED_PROTOCOLS, Sequence.of(PROTOCOLS))
                .setSocketOption(Options.SSL_ENABLED_CIPHER_SUITES, Sequence.of(supportedSuites()))
                .setSocketOption(Options.SSL_CLIENT_AUTH_MODE,
                        clientCertificates ? SslClientAuthMode.REQUIRED : SslClientAuthMode.NOT_REQUESTED);
    }

    /** Limits a client engine's parameters to these protocols and suites. */
    public void restrict(SSLParameters parameters) {
        parameters.setProtocols(PROTOCOLS.toArray(String[]::new));
        parameters.setCipherSuites(supportedSuites().toArray(String[]::new));
    }

    private List<String> supportedSuites() {
        List<String> supported = List.of(context.getSupportedSSLParameters().getCipherSuites());
        return CIPHER_SUITES.stream().filter(supported::contains).toList();
    }

    /** Why a backend's certificate was refused in the handshake on {@code engine}, if it was. */
    public Optional<String> refusal(SSLEngine engine) {
        return serverTrust.flatMap(trust -> trust.refusal(engine));
    }

    @Override
    public void close() {
        keys.ifPresent(RotatingKeyManager::close);
    }
}
