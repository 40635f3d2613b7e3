package org.coffer.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.coffer.Credential;
import org.coffer.Secret;
import org.coffer.crypto.internal.JasyptCipher;
import org.coffer.crypto.internal.MasterPasswordFile;
import org.coffer.crypto.internal.PasswordMasterKey;
import org.coffer.credentials.xml.internal.XmlCredentialRepository;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A credentials.xml of 100,000 credentials (1,000 environments of 100, every password a
 * distinct {@code PBEWITHHMACSHA512ANDAES_256} value, as Coffer writes them): loading it,
 * the first get of a credential, a later get, and adding a credential (read, change,
 * atomic save). A load checks the form of every value and decrypts one (to check the
 * master password); a first get decrypts its value (one password-based key derivation)
 * and seals it, a later get opens the seal. The file is generated once (one key
 * derivation per value, about a minute) and kept in the temporary folder for later runs.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar LargeCredentialsBenchmark</pre>
 */
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class LargeCredentialsBenchmark {

    static final int CREDENTIALS = 100_000;
    static final int PER_ENVIRONMENT = 100;
    /** How many credentials {@link Loaded} has used: one of each environment. */
    static final int USED = CREDENTIALS / PER_ENVIRONMENT;
    static final String MASTER = "7af93081-e89d-4005-8e23-5c8070d8d773";
    static final String NS = "http://pineapple.dev.java.net/ns/environment_1_0";

    /** A copy of the generated file with its master password, in a folder of its own. */
    @State(Scope.Benchmark)
    public static class File {
        Path dir;
        Path credentials;
        Path master;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            dir = Files.createTempDirectory("coffer-large-credentials");
            master = dir.resolve("credentialprovider.password");
            Files.writeString(master, MASTER);
            credentials = dir.resolve("credentials.xml");
            Files.copy(generated(), credentials, StandardCopyOption.REPLACE_EXISTING);
        }

        PasswordMasterKey key() {
            return new PasswordMasterKey(new MasterPasswordFile(master));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** The file loaded once, with one credential of each environment used once, so that a get finds it sealed. */
    @State(Scope.Benchmark)
    public static class Loaded {
        XmlCredentialRepository repository;
        int next;

        @Setup(Level.Trial)
        public void setUp(File file) {
            repository = new XmlCredentialRepository(file.credentials, file.key());
            for (int e = 0; e < USED; e++) {
                get(repository, used(e));
            }
        }
    }

    /** The file loaded once, its credentials used in file order, each for the first time. */
    @State(Scope.Benchmark)
    public static class Unused {
        XmlCredentialRepository repository;
        int next;

        @Setup(Level.Trial)
        public void setUp(File file) {
            repository = new XmlCredentialRepository(file.credentials, file.key());
            // the load decrypted the first value to check the master password
            next = 1;
        }
    }

    /** The credential of environment {@code e} that {@link Loaded} has used. */
    static int used(int e) {
        return e * PER_ENVIRONMENT + e % PER_ENVIRONMENT;
    }

    /** Gets credential {@code i} and its password. */
    static int get(XmlCredentialRepository repository, int i) {
        Credential credential = repository.get("env-" + i / PER_ENVIRONMENT, "cred-" + i % PER_ENVIRONMENT)
                .orElseThrow();
        try (Secret password = credential.secret()) {
            char[] chars = password.chars();
            int length = chars.length;
            Arrays.fill(chars, '\0');
            return length;
        }
    }

    static Path generated() throws IOException {
        Path cached = Path.of(System.getProperty("java.io.tmpdir"), "coffer-benchmark-credentials-" + CREDENTIALS + ".xml");
        if (Files.exists(cached)) {
            return cached;
        }
        JasyptCipher cipher = new JasyptCipher(MASTER.toCharArray());
        // one key derivation per value, as the file will hold them: on every core
        List<String> lines = IntStream.range(0, CREDENTIALS).parallel()
                .mapToObj(i -> "        <credential id=\"cred-" + (i % PER_ENVIRONMENT) + "\" user=\"user-" + i
                        + "\" password=\"encrypted:" + cipher.encrypt(Secret.of("password-" + i)) + "\"/>\n")
                .collect(Collectors.toList());
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                + "<configuration xmlns=\"" + NS + "\">\n  <environments>\n");
        for (int e = 0; e < CREDENTIALS / PER_ENVIRONMENT; e++) {
            xml.append("    <environment id=\"env-").append(e).append("\">\n      <credentials>\n");
            lines.subList(e * PER_ENVIRONMENT, (e + 1) * PER_ENVIRONMENT).forEach(xml::append);
            xml.append("      </credentials>\n    </environment>\n");
        }
        Path temp = Files.createTempFile(cached.getParent(), "coffer-benchmark-credentials", ".tmp");
        Files.writeString(temp, xml.append("  </environments>\n</configuration>\n"));
        Files.move(temp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return cached;
    }

    /** Parse, check the form of every value, decrypt one. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public XmlCredentialRepository load(File file) {
        return new XmlCredentialRepository(file.credentials, file.key());
    }

    /** A credential by environment and id used before: its password opened from its in-memory seal. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public int get(Loaded loaded) {
        loaded.next = (loaded.next + 7) % USED;
        return get(loaded.repository, used(loaded.next));
    }

    /**
     * A credential by environment and id used for the first time: its password decrypted
     * and sealed. 100,000 of them last about two minutes of this benchmark; then it
     * measures later gets, so keep warmup and measurement below that.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 2, time = 2)
    @Measurement(iterations = 5, time = 2)
    public int firstGet(Unused unused) {
        int i = unused.next;
        unused.next = (i + 1) % CREDENTIALS;
        return get(unused.repository, i);
    }

    /** A new credential: the file read again under its lock, changed and saved atomically. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 3)
    @Measurement(iterations = 10)
    public Object add(Loaded loaded) {
        loaded.repository.create("env-0", "added-" + loaded.next++, "user", Secret.of("added"));
        return loaded.repository;
    }
}
