package io.mcpgw.server.config;

/**
 * A {@code tls:} section: of a listener ({@code server.tls}, {@code admin.tls}: its certificate, and for the MCP
 * listener the CA its clients' certificates must come from), or of an HTTPS backend (the CA it is trusted by, and
 * the certificate the gateway presents to it). Paths are PEM files, relative to the install directory; they are
 * read again when they change.
 *
 * @param certificate a PEM certificate chain, the own certificate first
 * @param privateKey its PEM private key (PKCS#8, RSA or EC; not encrypted)
 * @param clientCa listeners only: PEM certificates of the CAs client certificates must chain to; with it every
 *     client must present a valid one (mutual TLS)
 * @param ca backends only: PEM certificates of the CAs the backend's certificate must chain to, instead of the
 *     JDK's default trust store
 */
public record TlsConfig(String certificate, String privateKey, String clientCa, String ca) {

    public TlsConfig {
        if ((certificate == null) != (privateKey == null)) {
            throw new IllegalArgumentException((certificate == null ? "certificate" : "privateKey")
                    + ": required value is missing (a certificate goes with its private key)");
        }
    }

    /** Checks what a listener's section must have: its own certificate, and no backend key. */
    public TlsConfig forListener(boolean clientCertificates) {
        if (certificate == null) {
            throw new IllegalArgumentException("tls: certificate and privateKey are required for a listener");
        }
        if (ca != null) {
            throw new IllegalArgumentException("tls: 'ca' is for backends; a listener's clients are trusted with clientCa");
        }
        if (clientCa != null && !clientCertificates) {
            throw new IllegalArgumentException("tls: 'clientCa' is not supported on this listener");
        }
        return this;
    }

    /** Checks what a backend's section must not have. */
    public TlsConfig forBackend() {
        if (clientCa != null) {
            throw new IllegalArgumentException("tls: 'clientCa' is for listeners; a backend's certificate is trusted with ca");
        }
        return this;
    }
}
