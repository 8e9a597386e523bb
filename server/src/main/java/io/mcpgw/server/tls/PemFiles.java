package io.mcpgw.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PEM files: certificates ({@code CERTIFICATE} blocks) and an unencrypted PKCS#8 private key ({@code PRIVATE KEY}). */
final class PemFiles {

    private static final Pattern KEY_BLOCK = Pattern.compile("-----BEGIN ([A-Z ]*)PRIVATE KEY-----([^-]*)-----END \\1PRIVATE KEY-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC");

    private PemFiles() {}

    /** Every certificate in the file, in its order; at least one. */
    static List<X509Certificate> certificates(Path file) throws IOException {
        byte[] pem = Files.readAllBytes(file);
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            factory.generateCertificates(new ByteArrayInputStream(pem)).forEach(certificate -> certificates.add((X509Certificate) certificate));
        } catch (CertificateException e) {
            throw new IOException(file + ": not a PEM certificate file (" + e.getMessage() + ")", e);
        }
        if (certificates.isEmpty()) {
            throw new IOException(file + ": no certificate in it (a PEM file with -----BEGIN CERTIFICATE----- blocks)");
        }
        return List.copyOf(certificates);
    }

    /** The private key of the file: PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), RSA or EC. The message never shows the key. */
    static PrivateKey privateKey(Path file) throws IOException {
        Matcher block = KEY_BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        if (!block.find()) {
            throw new IOException(file + ": no PEM private key in it (-----BEGIN PRIVATE KEY-----)");
        }
        if (!block.group(1).isEmpty()) {
            throw new IOException(file + ": the key is '" + block.group(1).trim() + "'; give it as unencrypted PKCS#8"
                    + " (openssl pkcs8 -topk8 -nocrypt -in old.key -out new.key)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(2).trim());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the private key is not valid base64");
        }
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException e) {
                // not this algorithm: try the next
            } catch (GeneralSecurityException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }
        throw new IOException(file + ": not an RSA or EC private key in PKCS#8");
    }
}
