package io.mcpgw.server.tls;

import io.mcpgw.server.InstallPaths;
import io.mcpgw.server.config.TlsConfig;
import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;

/**
 * A listener's own certificate chain as its files hold it, for the launcher, which asks its own gateway whether it
 * is ready: it trusts exactly that chain and expects exactly that certificate, whatever name the listener's
 * address has (e.g. {@code 127.0.0.1} for a certificate that names {@code mcp.example.com}).
 */
public final class OwnCertificate {

    private final List<X509Certificate> chain;

    private OwnCertificate(List<X509Certificate> chain) {
        this.chain = chain;
    }

    public static OwnCertificate read(TlsConfig config, InstallPaths paths) throws IOException {
        return new OwnCertificate(PemFiles.certificates(paths.resolve(config.certificate())));
    }

    /** TLS that trusts this chain only. */
    public SSLContext trustingIt() throws IOException {
        return TlsContext.context(null, new TrustManager[] {TlsContext.trusting(chain, "the listener's certificate")});
    }

    /** Whether the peer of {@code session} presented this very certificate. */
    public boolean presentedIn(SSLSession session) {
        try {
            Certificate[] presented = session.getPeerCertificates();
            return presented.length > 0 && presented[0].equals(chain.getFirst());
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }
}
