package io.mcpgw.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made by a test: its own self-signed certificate, and certificates it issues for servers
 * and clients, each written as PEM files (certificate chain, PKCS#8 private key) into a directory, as an operator
 * would put them into {@code conf/tls/}. EC P-256 keys unless RSA is asked for.
 */
public final class TestingCertificateAuthority {

    private static final Duration VALIDITY = Duration.ofDays(2);
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final Path directory;
    private final String name;
    private final KeyPair keys;
    private final X509Certificate certificate;
    private final Path certificateFile;

    private TestingCertificateAuthority(Path directory, String name, KeyPair keys, X509Certificate certificate) {
        this.directory = directory;
        this.name = name;
        this.keys = keys;
        this.certificate = certificate;
        this.certificateFile = directory.resolve(name + "-ca.pem");
        write(certificateFile, pem("CERTIFICATE", encoded(certificate)));
    }

    /** A new CA named {@code name} (its subject {@code CN=<name>}), writing its files into {@code directory}. */
    public static TestingCertificateAuthority create(Path directory, String name) {
        try {
            Files.createDirectories(directory);
            KeyPair keys = generate("EC");
            X500Principal subject = new X500Principal("CN=" + name);
            X509v3CertificateBuilder builder = builder(subject, subject, keys)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new TestingCertificateAuthority(directory, name, keys, sign(builder, keys.getPrivate()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CA's certificate as a PEM file: what a {@code ca:} or {@code clientCa:} key names. */
    public Path certificateFile() {
        return certificateFile;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** A server certificate (EC) for the given names: {@code localhost}, {@code 127.0.0.1} (an IP address) and the like. */
    public Issued issueServer(String fileName, String... names) {
        return issue(fileName, "CN=" + names[0], List.of(names), KeyPurposeId.id_kp_serverAuth, "EC", VALIDITY);
    }

    /** A client certificate with the given subject, e.g. {@code CN=ci-bot, O=acme}, and subject alternative names. */
    public Issued issueClient(String fileName, String subject, String... names) {
        return issue(fileName, subject, List.of(names), KeyPurposeId.id_kp_clientAuth, "EC", VALIDITY);
    }

    /**
     * A certificate as asked: its subject, names (an IP address, an {@code email:} or {@code uri:} prefixed name, else
     * a DNS name), purpose ({@code serverAuth} or {@code clientAuth}), key algorithm ({@code EC} or {@code RSA}) and
     * how long from now it is valid (negative: expired that long ago).
     */
    public Issued issue(String fileName, String subject, List<String> names, KeyPurposeId purpose, String algorithm, Duration validity) {
        try {
            KeyPair pair = generate(algorithm);
            X509v3CertificateBuilder builder = builder(certificate.getSubjectX500Principal(), new X500Principal(subject), pair, validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (!names.isEmpty()) {
                List<GeneralName> general = new ArrayList<>();
                for (String alternative : names) {
                    general.add(alternative.startsWith("email:") ? new GeneralName(GeneralName.rfc822Name, alternative.substring(6))
                            : alternative.startsWith("uri:") ? new GeneralName(GeneralName.uniformResourceIdentifier, alternative.substring(4))
                            : alternative.matches("[0-9.]+|.*:.*") ? new GeneralName(GeneralName.iPAddress, alternative)
                            : new GeneralName(GeneralName.dNSName, alternative));
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(general.toArray(GeneralName[]::new)));
            }
            X509Certificate issued = sign(builder, keys.getPrivate());
            Path chain = directory.resolve(fileName + ".pem");
            Path key = directory.resolve(fileName + ".key");
            write(chain, pem("CERTIFICATE", encoded(issued)) + pem("CERTIFICATE", encoded(certificate)));
            write(key, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            return new Issued(issued, pair.getPrivate(), chain, key, this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client's TLS: trusting this CA only, presenting no certificate. */
    public SSLContext trustingContext() {
        return context(null);
    }

    private SSLContext context(Issued presented) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificate);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            KeyManager[] keyManagers = null;
            if (presented != null) {
                KeyStore own = KeyStore.getInstance("PKCS12");
                own.load(null, null);
                own.setKeyEntry("own", presented.privateKey(), new char[0],
                        new X509Certificate[] {presented.certificate(), presented.issuer().certificate()});
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(own, new char[0]);
                keyManagers = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One certificate issued, with its files.
     *
     * @param certificateFile its PEM chain (the certificate, then the CA's)
     * @param privateKeyFile its PKCS#8 PEM private key
     */
    public record Issued(X509Certificate certificate, PrivateKey privateKey, Path certificateFile, Path privateKeyFile,
            TestingCertificateAuthority issuer) {

        /** TLS presenting this certificate, trusting the certificates {@code trusted} issued (those of the other side). */
        public SSLContext context(TestingCertificateAuthority trusted) {
            return trusted.context(this);
        }

        /** Copies its files over {@code certificate} and {@code key}, as a rotation writes new files in place. */
        public void copyTo(Path certificate, Path key) {
            try {
                Files.copy(certificateFile, certificate, StandardCopyOption.REPLACE_EXISTING);
                Files.copy(privateKeyFile, key, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static KeyPair generate(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Principal issuer, X500Principal subject, KeyPair keys) {
        return builder(issuer, subject, keys, VALIDITY);
    }

    private static X509v3CertificateBuilder builder(X500Principal issuer, X500Principal subject, KeyPair keys, Duration validity) {
        Instant now = Instant.now();
        Instant from = validity.isNegative() ? now.plus(validity).minus(VALIDITY) : now.minus(Duration.ofMinutes(5));
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()), Date.from(from), Date.from(now.plus(validity)),
                subject, keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) {
        try {
            ContentSigner content = new JcaContentSignerBuilder("SHA256withECDSA").build(signer);
            return new JcaX509CertificateConverter().getCertificate(builder.build(content));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "TestingCertificateAuthority[" + name + "]";
    }
}
