package org.coffer.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.coffer.Credential;
import org.coffer.Secret;
import org.coffer.crypto.internal.JasyptCipher;
import org.coffer.crypto.internal.MasterPasswordFile;
import org.coffer.crypto.internal.PasswordMasterKey;
import org.coffer.credentials.xml.internal.XmlCredentialRepository;
import org.jasypt.encryption.pbe.StandardPBEStringEncryptor;
import org.jasypt.iv.RandomIvGenerator;
import org.jasypt.salt.StringFixedSaltGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A credential use from Pineapple's credentials.xml: Coffer (sealed in memory under an
 * AES-GCM key) beside Jasypt decrypting the stored value on every use, as Pineapple
 * does; and loading a credentials.xml of 1,000 credentials.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CredentialsBenchmark {

    static final String MASTER = "7af93081-e89d-4005-8e23-5c8070d8d773";
    static final String NS = "http://pineapple.dev.java.net/ns/environment_1_0";

    private Path dir;
    private Path master;
    private Path thousandNew;
    private Path thousandLegacy;
    private XmlCredentialRepository repository;
    private StandardPBEStringEncryptor jasyptAes;
    private StandardPBEStringEncryptor jasyptPineapple;
    private String aesValue;
    private String pineappleValue;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("coffer-credentials-bench");
        master = dir.resolve("credentialprovider.password");
        Files.writeString(master, MASTER + "\n");
        JasyptCipher cipher = new JasyptCipher(MASTER.toCharArray());
        aesValue = cipher.encrypt(Secret.of("Weblogic99"));
        pineappleValue = cipher.encrypt(Secret.of("Weblogic99"), JasyptCipher.Scheme.PINEAPPLE_DES);
        Path one = dir.resolve("credentials.xml");
        Files.writeString(one, file(1, cipher, JasyptCipher.Scheme.AES_256));
        repository = new XmlCredentialRepository(one, key());
        thousandNew = dir.resolve("thousand-aes.xml");
        Files.writeString(thousandNew, file(1000, cipher, JasyptCipher.Scheme.AES_256));
        thousandLegacy = dir.resolve("thousand-pineapple.xml");
        Files.writeString(thousandLegacy, file(1000, cipher, JasyptCipher.Scheme.PINEAPPLE_DES));

        jasyptAes = new StandardPBEStringEncryptor();
        jasyptAes.setPassword(MASTER);
        jasyptAes.setAlgorithm("PBEWITHHMACSHA512ANDAES_256");
        jasyptAes.setIvGenerator(new RandomIvGenerator());
        jasyptPineapple = new StandardPBEStringEncryptor();
        jasyptPineapple.setPassword(MASTER);
        jasyptPineapple.setAlgorithm("PBEWithMD5AndDES");
        jasyptPineapple.setSaltGenerator(new StringFixedSaltGenerator(JasyptCipher.PINEAPPLE_SALT));
    }

    private PasswordMasterKey key() {
        return new PasswordMasterKey(new MasterPasswordFile(master));
    }

    private static String file(int count, JasyptCipher cipher, JasyptCipher.Scheme scheme) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                + "<configuration xmlns=\"" + NS + "\">\n  <environments>\n");
        for (int e = 0; e < Math.max(1, count / 100); e++) {
            xml.append("    <environment id=\"env-").append(e).append("\">\n      <credentials>\n");
            for (int c = 0; c < Math.min(count, 100); c++) {
                xml.append("        <credential id=\"cred-").append(c).append("\" user=\"user-").append(c)
                        .append("\" password=\"encrypted:").append(cipher.encrypt(Secret.of("password-" + e + "-" + c), scheme))
                        .append("\"/>\n");
            }
            xml.append("      </credentials>\n    </environment>\n");
        }
        return xml.append("  </environments>\n</configuration>\n").toString();
    }

    @TearDown
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Coffer: the password of a credential, opened from its in-memory seal. */
    @Benchmark
    public int cofferCredentialUse() {
        Credential credential = repository.get("env-0", "cred-0").orElseThrow();
        try (Secret password = credential.secret()) {
            char[] chars = password.chars();
            int length = chars.length;
            Arrays.fill(chars, '\0');
            return length;
        }
    }

    /** Jasypt decrypting a new-style value (PBEWITHHMACSHA512ANDAES_256) on every use. */
    @Benchmark
    public String jasyptDecryptPerUseAes() {
        return jasyptAes.decrypt(aesValue);
    }

    /** Jasypt decrypting a Pineapple value (fixed-salt PBEWithMD5AndDES) on every use, as Pineapple does. */
    @Benchmark
    public String jasyptDecryptPerUsePineapple() {
        return jasyptPineapple.decrypt(pineappleValue);
    }

    /** Loading 1,000 new-style credentials: parse, decrypt each value, seal it. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public XmlCredentialRepository load1000Aes() {
        return new XmlCredentialRepository(thousandNew, key());
    }

    /** Loading 1,000 Pineapple-encrypted credentials. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public XmlCredentialRepository load1000Pineapple() {
        return new XmlCredentialRepository(thousandLegacy, key());
    }
}
