package org.coffer.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebConsoleTest {

    @TempDir
    Path state;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void drawsThePasswordOnceIntoAPrivateFileAndPrintsWhereNeverWhat() throws Exception {
        String first = new String(WebConsole.password(state, Map.of(), err));
        Path file = state.resolve("web-password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first).hasSizeGreaterThanOrEqualTo(24);
        assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain(first).contains(file.toString());
        printed.reset();
        assertThat(new String(WebConsole.password(state, Map.of(), err))).isEqualTo(first);
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(new String(WebConsole.password(state, Map.of("COFFER_WEB_PASSWORD", "given"), err)))
                .isEqualTo("given");
    }

    @Test
    void refusesAPasswordFileOthersCanReadOrALink() throws Exception {
        Path file = state.resolve("web-password");
        Files.writeString(file, "guessable\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> WebConsole.password(state, Map.of(), err)).hasMessageContaining("may be read by others (mode rw-r--r--)");
        Files.delete(file);
        Path elsewhere = Files.writeString(state.resolve("elsewhere"), "x\n");
        Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(file, elsewhere);
        assertThatThrownBy(() -> WebConsole.password(state, Map.of(), err)).hasMessageContaining("is not a regular file");
    }

    @Test
    void givesTheConsoleASaltedHashAndKeepsTheAddressEtcChose() throws Exception {
        Map<String, String> config = new HashMap<>(Map.of("org.osgi.service.http.port", "9191"));
        WebConsole.configure(config, state, Map.of("COFFER_WEB_PASSWORD", "s3cret"), err);
        assertThat(config).containsEntry("org.apache.felix.http.host", "127.0.0.1")
                .containsEntry("org.osgi.service.http.port", "9191").containsEntry("felix.webconsole.username", "admin");
        String hash = config.get("coffer.web.password");
        assertThat(config).containsEntry("coffer.web.user", "admin")
                .containsEntry("felix.webconsole.security.providers", "coffer");
        assertThat(hash).startsWith("{sha-256}").doesNotContain("s3cret");
        // the Web Console's check: SHA-256 of salt and password, then of the digest, 1000 times in all
        String[] parts = hash.substring("{sha-256}".length()).split("-");
        byte[] digest = (parts[0] + "s3cret").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < Integer.parseInt(parts[1]); i++) {
            digest = MessageDigest.getInstance("SHA-256").digest(digest);
        }
        assertThat(Base64.getEncoder().encodeToString(digest)).isEqualTo(parts[2]);
    }
}
