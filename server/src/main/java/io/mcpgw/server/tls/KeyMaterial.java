package io.mcpgw.server.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A certificate chain and its private key, read from PEM files and checked: the key must be the certificate's
 * (proved by signing with it), and the certificate valid today.
 *
 * @param chain the certificate first, then what it was issued by
 * @param keyManager the JSSE key manager presenting them
 */
record KeyMaterial(List<X509Certificate> chain, X509ExtendedKeyManager keyManager) {

    private static final char[] NO_PASSWORD = new char[0];
    private static final byte[] PROBE = "mcpgw key check".getBytes(StandardCharsets.US_ASCII);

    static KeyMaterial read(Path certificateFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = PemFiles.certificates(certificateFile);
        PrivateKey key = PemFiles.privateKey(keyFile);
        X509Certificate own = chain.getFirst();
        try {
            own.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new IOException(certificateFile + ": the certificate is not valid now (" + describe(own) + ")");
        }
        try {
            String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(own.getPublicKey());
            verifier.update(PROBE);
            if (!verifier.verify(signature)) {
                throw new IOException(keyFile + ": the private key does not belong to the certificate in " + certificateFile);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(keyFile + ": the private key does not belong to the certificate in " + certificateFile
                    + " (" + e.getMessage() + ")", e);
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, NO_PASSWORD);
            for (KeyManager manager : factory.getKeyManagers()) {
                if (manager instanceof X509ExtendedKeyManager extended) {
                    return new KeyMaterial(chain, extended);
                }
            }
            throw new IOException("the JDK offers no X.509 key manager");
        } catch (GeneralSecurityException e) {
            throw new IOException(certificateFile + ": " + e.getMessage(), e);
        }
    }

    /** The certificate's subject and end of validity, for the log. */
    String describe() {
        return describe(chain.getFirst());
    }

    private static String describe(X509Certificate certificate) {
        return "subject " + certificate.getSubjectX500Principal().getName() + ", valid until " + certificate.getNotAfter().toInstant();
    }
}
