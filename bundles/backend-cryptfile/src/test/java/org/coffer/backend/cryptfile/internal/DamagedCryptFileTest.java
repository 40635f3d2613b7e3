package org.coffer.backend.cryptfile.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.coffer.BackendException;
import org.coffer.IntegrityException;
import org.coffer.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged cryptfile keyrings, on the file Python's keyrings.cryptfile 1.3.9 wrote: each
 * failure names the file and what is wrong, blames the right thing, and leaves the file
 * as it was.
 */
class DamagedCryptFileTest {

    private static final Map<String, String> PYTHON_PASSWORD = Map.of("KEYRING_CRYPTFILE_PASSWORD", "passwd");

    @TempDir
    Path dir;

    private Path python() throws Exception {
        return CryptFileBackendTest.vector(dir, "cp1.3.9.cfg");
    }

    private static String entry(String json) {
        String base64 = Base64.getMimeEncoder(76, new byte[] {'\n'})
                .encodeToString(json.getBytes(StandardCharsets.US_ASCII));
        return "[service]\nuser = \n\t" + base64.replace("\n", "\n\t") + "\n\n";
    }

    private static String header(String text) {
        return text.substring(0, text.indexOf("[service]"));
    }

    private void assertRefusedAndUnchanged(Path file, String... why) throws Exception {
        byte[] before = Files.readAllBytes(file);
        CryptFileBackend backend = new CryptFileBackend(file, PYTHON_PASSWORD, "", "");
        assertThatThrownBy(() -> backend.get("service", "user")).isInstanceOf(BackendException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("'user' in 'service'")
                .hasMessageContainingAll(why);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    /** Damaged values inside the file are their entries' errors; the value the file ends in is where it was cut. */
    @Test
    void anEntryThatIsNotJsonOrHoldsBadBase64IsNamed() throws Exception {
        Path file = python();
        String head = header(Files.readString(file));
        String next = Files.readString(file).substring(head.length()).replace("[service]", "[next]");
        String notJson = entry("{\"salt\": \"AAAA\", \"data\"");
        Files.writeString(file, head + notJson + next);
        assertRefusedAndUnchanged(file, "does not decrypt");
        Files.writeString(file, head + notJson);
        assertRefusedAndUnchanged(file, "torn or truncated", "which is cut (expected ':'");
        Files.writeString(file, head + entry("{\"salt\": \"AA*A\", \"data\": \"AAAA\", \"mac\": \"AAAA\","
                + " \"nonce\": \"AAAA\"}"));
        assertRefusedAndUnchanged(file, "'salt' field is not base64");
        Files.writeString(file, head + "[service]\nuser = \n\teyJzYWx0Ijo\n\n" + next);
        assertRefusedAndUnchanged(file, "damaged");
        Files.writeString(file, head + "[service]\nuser = \n\teyJzYWx0Ijo\n\n");
        assertRefusedAndUnchanged(file, "torn or truncated", "incorrect padding");
    }

    @Test
    void aTruncatedHeaderIsSaidToBeTornNotLockedNorAWrongPassword() throws Exception {
        Path file = python();
        List<String> lines = Files.readAllLines(file);
        String truncated = String.join("\n", lines.subList(0, 3)) + "\n";
        Files.writeString(file, truncated);
        CryptFileBackend backend = new CryptFileBackend(file, PYTHON_PASSWORD, "", "");
        assertThatThrownBy(() -> backend.set("service", "other", Secret.of("x"))).isInstanceOf(IntegrityException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("torn or truncated")
                .hasMessageContaining("'password reference' in 'keyring-setting'").hasMessageNotContaining("locked")
                .hasMessageNotContaining("Incorrect password");
        assertThat(Files.readString(file)).isEqualTo(truncated);
    }

    /** Python's own file, cut in place inside its last value as a rewrite that died leaves it: never "not found". */
    @Test
    void aPythonFileCutInsideItsValueIsTornNeverNotFoundNorAValue() throws Exception {
        Path file = python();
        byte[] whole = Files.readAllBytes(file);
        String text = new String(whole, StandardCharsets.US_ASCII);
        int start = text.indexOf("user = \n") + "user = \n".length();
        int end = text.stripTrailing().length() - 1;
        CryptFileBackend backend = new CryptFileBackend(file, PYTHON_PASSWORD, "", "");
        for (int cut = start; cut < end; cut += 5) {
            Files.write(file, java.util.Arrays.copyOf(whole, cut));
            int at = cut;
            assertThatThrownBy(() -> backend.get("service", "user")).as("cut at %d of %d", at, whole.length)
                    .isInstanceOf(IntegrityException.class).hasMessageContaining(file.toString())
                    .hasMessageContaining("torn or truncated").hasMessageContaining("'user' in 'service'");
            assertThatThrownBy(() -> backend.get("service", "nobody")).isInstanceOf(IntegrityException.class);
        }
        Files.write(file, whole);
        assertThat(value(backend.get("service", "user"))).isEqualTo("secret");
    }

    @Test
    void aFileWithoutItsSchemeOrVersionLineIsNeverWrittenTo() throws Exception {
        for (String line : new String[] {"scheme", "version"}) {
            Path file = python();
            String without = Files.readString(file).replaceFirst(line + " = [^\n]*\n", "");
            Files.writeString(file, without);
            CryptFileBackend backend = new CryptFileBackend(file, PYTHON_PASSWORD, "", "");
            assertThat(value(backend.get("service", "user"))).isEqualTo("secret");
            assertThatThrownBy(() -> backend.set("service", "other", Secret.of("x"))).as(line)
                    .isInstanceOf(BackendException.class).hasMessageContaining("no '" + line + "' line")
                    .hasMessageContaining(file.toString()).hasMessageContaining("Nothing was written");
            assertThat(Files.readString(file)).isEqualTo(without);
            Files.delete(file);
        }
    }

    @Test
    void aLockedKeyringWithoutTheEntryAnswersWithoutItsPassword() throws Exception {
        CryptFileBackend locked = new CryptFileBackend(python(), Map.of(), "", "");
        assertThat(locked.get("service", "nobody")).isEmpty();
        assertThat(new CryptFileBackend(dir.resolve("missing.cfg"), Map.of(), "", "").get("s", "u")).isEmpty();
        assertThat(locked.isLocked()).isTrue();
    }

    @Test
    void writesOfAFreshKeyringRacingItsAutomaticUnlockAndAnUnlockAllSucceed() throws Exception {
        Path file = dir.resolve("fresh.cfg");
        CryptFileBackend backend = new CryptFileBackend(file, CryptFileBackendTest.PASSWORD, "", "");
        ExecutorService threads = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String user = "user" + i;
                writes.add(threads.submit(() -> backend.set("svc", user, Secret.of("v-" + user))));
            }
            writes.add(threads.submit(() -> backend.unlock(Secret.of("correct horse"))));
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            threads.shutdownNow();
        }
        CryptFileBackend reader = new CryptFileBackend(file, CryptFileBackendTest.PASSWORD, "", "");
        for (int i = 0; i < 4; i++) {
            assertThat(value(reader.get("svc", "user" + i))).isEqualTo("v-user" + i);
        }
    }

    private static String value(java.util.Optional<Secret> secret) {
        return secret.map(Secret::reveal).orElse(null);
    }
}
