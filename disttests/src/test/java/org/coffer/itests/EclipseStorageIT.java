package org.coffer.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.coffer.backend.eclipse.internal.EquinoxWriter;
import org.coffer.test.Peers;
import org.coffer.test.Processes;
import org.junit.Rule;
import org.junit.Test;

/**
 * An Eclipse user's secure storage, written by real Equinox, read through
 * {@code bin/coffer} and moved into a keyring of Coffer's, as the README shows; the
 * master password Coffer keeps for a storage follows the file when it moves.
 */
public class EclipseStorageIT {

    private static final String GITHUB = "/GIT/https:\\2f\\2fgithub.com:443";

    @Rule
    public final Distribution dist = new Distribution();

    @Test
    public void eclipsesSecretsAreReadAndMigratedIntoAKeyringOfCoffers() throws Exception {
        Path work = dist.home.getParent();
        Path storage = Files.createDirectories(work.resolve("eclipse")).resolve("secure_storage");
        Path password = Files.writeString(work.resolve("eclipse.password"), "eclipse master\n");
        EquinoxWriter.inProcessOfItsOwn(storage, "eclipse master", GITHUB, "user", "alice", "false",
                GITHUB, "password", "git s3cret", "true");
        byte[] written = Files.readAllBytes(storage);
        Path etc = Files.createDirectories(dist.configHome.resolve("coffer/etc"));
        Files.writeString(etc.resolve("org.coffer.backend.eclipse.cfg"), "file = " + storage + "\npassword.file = "
                + password + "\n");

        Processes.Result backends = dist.coffer(null, "keyring:backends");
        assertTrue(backends.stdout, backends.stdout.contains("Eclipse secure storage " + storage + " (read-only)"));
        assertEquals("git s3cret\n", dist.coffer(null, "keyring:get", "https://github.com:443", "alice").stdout);

        Processes.Result migrated = dist.coffer(null, "keyring:migrate", "eclipse", "plaintext");
        assertEquals(migrated.stdout + migrated.stderr, 0, migrated.exit);
        Distribution.require(Files.isExecutable(Peers.PYTHON), "Debian's python3 with keyrings.alt");
        assertEquals("git s3cret\n", Peers.python(Map.of("XDG_DATA_HOME", dist.dataHome.toString()), null,
                "import keyrings.alt.file as f; print(f.PlaintextKeyring().get_password('https://github.com:443', 'alice'))"));
        assertArrayEquals("Eclipse's file is as Equinox wrote it", written, Files.readAllBytes(storage));

        // the storage moves: the master password Coffer's provider keeps for it moves along
        String old = storage.toRealPath().toString();
        assertEquals(0, dist.coffer("master\n", "keyring:set", "eclipse secure storage", old).exit);
        Path moved = Files.move(storage, Files.createDirectories(work.resolve("moved")).resolve("secure_storage"));
        // (a backend configured on a file that is gone is a backend that cannot answer: point it at the new place)
        Files.writeString(etc.resolve("org.coffer.backend.eclipse.cfg"), "file = " + moved + "\npassword.file = "
                + password + "\n");
        Processes.Result rehomed = dist.coffer(null, "eclipse:rehome", old, moved.toString());
        assertEquals(rehomed.stdout + rehomed.stderr, 0, rehomed.exit);
        assertEquals("master\n", dist.coffer(null, "keyring:get", "eclipse secure storage", moved.toRealPath().toString())
                .stdout);
        assertEquals(1, dist.coffer(null, "keyring:get", "eclipse secure storage", old).exit);
    }

    /**
     * A storage of another master password taken over, the old one piped in as {@code secret-tool lookup}
     * gives it: the eclipse backend then opens it with the master password Coffer keeps, with nothing configured.
     */
    @Test
    public void aStorageIsTakenOverWithItsOldPasswordPipedInAndReadWithCoffersPassword() throws Exception {
        Path work = dist.home.getParent();
        Path storage = Files.createDirectories(work.resolve("eclipse")).resolve("secure_storage");
        EquinoxWriter.inProcessOfItsOwn(storage, "eclipse master", GITHUB, "user", "alice", "false",
                GITHUB, "password", "git s3cret", "true");
        byte[] written = Files.readAllBytes(storage);
        Path etc = Files.createDirectories(dist.configHome.resolve("coffer/etc"));
        Files.writeString(etc.resolve("org.coffer.backend.eclipse.cfg"), "file = " + storage + "\n");

        Processes.Result taken = dist.coffer("eclipse master\n", "eclipse:takeover", storage.toString());

        assertEquals(taken.stdout + taken.stderr, 0, taken.exit);
        String canonical = storage.toRealPath().toString();
        assertTrue(taken.stdout, taken.stdout.contains("Took over 1 values of " + canonical));
        assertTrue(taken.stdout + taken.stderr, !(taken.stdout + taken.stderr).contains("eclipse master"));
        try (java.util.stream.Stream<Path> files = Files.list(storage.getParent())) {
            Path backup = files.filter(f -> f.getFileName().toString().startsWith("secure_storage.before-coffer-"))
                    .findFirst().orElseThrow();
            assertArrayEquals("the copy is the file as it was", written, Files.readAllBytes(backup));
        }
        assertEquals(0, dist.coffer(null, "keyring:get", "eclipse secure storage", canonical).exit);
        assertEquals("git s3cret\n", dist.coffer(null, "keyring:get", "https://github.com:443", "alice").stdout);

        Processes.Result again = dist.coffer("eclipse master\n", "eclipse:takeover", storage.toString());
        assertEquals(again.stdout + again.stderr, 1, again.exit);
        assertTrue(again.stderr, again.stderr.contains("already has values of org.coffer.eclipse.provider"));
    }
}
