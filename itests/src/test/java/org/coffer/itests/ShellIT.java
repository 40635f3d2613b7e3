package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Before;
import org.coffer.itests.Shell.Run;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/** The keyring commands through a session of the container's shell, as a person runs them. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class ShellIT extends CofferSupport {


    private Path file;


    @Before
    public void usePrivateFile() throws Exception {
        file = workDir("shell").resolve("keyring_pass.cfg");
        configurePlaintext(PLAINTEXT_PID, "plaintext", file, 50);
    }

    private Run run(String stdin, String command) throws Exception {
        return Shell.run(context, stdin, command);
    }

    @Test
    public void setsFromStandardInputAndGetsItBack() throws Exception {
        Run set = run("pässwörd 🔑\n", "keyring:set 'my service' alice");
        assertEquals(set.err, 0, set.status);
        assertEquals("", set.out);
        assertTrue(Files.readString(file).contains("[my_20service]"));
        Run get = run("", "keyring:get 'my service' alice");
        assertEquals(0, get.status);
        assertEquals("pässwörd 🔑\n", get.out);
        Run json = run("", "keyring:get --json 'my service' alice");
        assertEquals("{\"service\": \"my service\", \"username\": \"alice\", \"password\": \"pässwörd 🔑\"}\n", json.out);
    }

    @Test
    public void reportsNotFoundWithStatusOne() throws Exception {
        Run get = run("", "keyring:get nobody nothing");
        assertEquals(1, get.status);
        assertEquals("", get.out);
        Run delete = run("", "keyring:delete nobody nothing");
        assertEquals(1, delete.status);
        assertTrue(delete.err, delete.err.contains("no password"));
    }

    @Test
    public void deletes() throws Exception {
        run("x\n", "keyring:set svc bob");
        assertEquals(0, run("", "keyring:del svc bob").status);
        assertEquals(1, run("", "keyring:get svc bob").status);
    }

    @Test
    public void listsBackendsAsTableAndJson() throws Exception {
        Run table = run("", "keyring:backends");
        assertEquals(0, table.status);
        assertTrue(table.out, table.out.contains("* plaintext") && table.out.contains("50"));
        Run json = run("", "keyring:backends --all --json");
        assertTrue(json.out, json.out.startsWith("[{\"name\": \"plaintext\", \"ranking\": 50, \"active\": true"));
    }

    @Test
    public void pinsAndRefusesUnknownBackends() throws Exception {
        Run use = run("", "keyring:use plaintext");
        assertEquals(0, use.status);
        assertTrue(run("", "keyring:diagnose").out.contains("pinned backend: plaintext"));
        assertEquals(0, run("", "keyring:use --auto").status);
        Run unknown = run("", "keyring:use nope");
        assertEquals(2, unknown.status);
        assertTrue(unknown.err, unknown.err.contains("No keyring backend is named 'nope'"));
    }

    @Test
    public void diagnosesWithoutShowingSecrets() throws Exception {
        run("very-secret-value\n", "keyring:set diag user");
        Run diagnose = run("", "keyring:diagnose");
        assertEquals(0, diagnose.status);
        assertTrue(diagnose.out, diagnose.out.contains("file: " + file));
        assertTrue(diagnose.out, diagnose.out.contains("unencrypted"));
        assertTrue(!diagnose.out.contains("very-secret-value"));
        Run json = run("", "keyring:diagnose --json");
        assertTrue(json.out, json.out.startsWith("[{\"subject\": \"provider\""));
    }

    @Test
    public void refusesTheReservedServiceAndABlankUsername() throws Exception {
        Run reserved = run("x\n", "keyring:set DEFAULT alice");
        assertEquals(2, reserved.status);
        assertTrue(reserved.err, reserved.err.contains("DEFAULT is reserved"));
        Run blank = run("x\n", "keyring:set svc ''");
        assertEquals(2, blank.status);
        assertTrue(blank.err, blank.err.contains("must not be empty"));
    }

    @Test
    public void helpAndWrongArgumentsGiveCoffersOwnUsageInEveryContainer() throws Exception {
        Run help = run("", "keyring:backends --help");
        assertEquals(help.err, 0, help.status);
        assertTrue(help.out, help.out.startsWith("usage: keyring:backends [-a|--all] [-j|--json]\n"));
        Run wrong = run("", "keyring:get onlyone");
        assertEquals(wrong.err, 2, wrong.status);
        assertTrue(wrong.err, wrong.err.contains("keyring: wrong arguments for keyring:get\n"
                + "usage: keyring:get [-j|--json] SERVICE USERNAME\n"));
        Run unknown = run("", "keyring:backends --bogus");
        assertEquals(unknown.err, 2, unknown.status);
        for (Run run : new Run[] {help, wrong, unknown}) {
            assertFalse(run.err, run.err.contains("Cannot coerce"));
        }
        if (Containers.karaf()) {
            // Karaf's help runs the command with --help and shows what it prints
            Run karafHelp = run("", "help keyring:set");
            assertTrue(karafHelp.out, karafHelp.out.contains("usage: keyring:set [--allow-empty] SERVICE USERNAME"));
        }
    }
}
