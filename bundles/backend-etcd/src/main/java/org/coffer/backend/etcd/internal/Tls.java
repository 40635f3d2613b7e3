package org.coffer.backend.etcd.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.coffer.BackendException;

/** The TLS context of {@code tls.ca}, {@code tls.cert} and {@code tls.key}, PEM files as etcd's own tools use them. */
final class Tls {

    private Tls() {
    }

    /**
     * @return the context, or {@code null} when no file is named (the JDK's trust store then applies)
     * @throws BackendException naming the file that cannot be used
     */
    static SSLContext context(String ca, String cert, String key) {
        if (ca.isBlank() && cert.isBlank() && key.isBlank()) {
            return null;
        }
        if (cert.isBlank() != key.isBlank()) {
            throw new BackendException("tls.cert and tls.key go together: name both, or neither");
        }
        try {
            TrustManagerFactory trust = null;
            if (!ca.isBlank()) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (Certificate certificate : certificates(Path.of(ca))) {
                    store.setCertificateEntry("ca" + i++, certificate);
                }
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
            }
            KeyManagerFactory keys = null;
            if (!cert.isBlank()) {
                char[] none = new char[0];
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("client", privateKey(Path.of(key)), none,
                        certificates(Path.of(cert)).toArray(new Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, none);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(),
                    null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new BackendException("Cannot set up TLS for etcd from tls.ca, tls.cert and tls.key: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(Path file) throws IOException {
        try {
            Collection<? extends Certificate> found = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)));
            if (found.isEmpty()) {
                throw new BackendException(file + " holds no PEM certificate");
            }
            return found;
        } catch (GeneralSecurityException e) {
            throw new BackendException(file + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /** A PKCS#8 key ({@code BEGIN PRIVATE KEY}), RSA or EC. */
    private static PrivateKey privateKey(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new BackendException(file + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it with"
                    + " openssl pkcs8 -topk8 -nocrypt -in KEY -out " + file.getFileName());
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        try {
            for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (GeneralSecurityException notThisAlgorithm) {
                    // the next one
                }
            }
            throw new BackendException(file + " holds a key that is neither RSA, EC nor Ed25519");
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }
}
