package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.coffer.KeyringLockedException;
import org.coffer.Secret;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;

/** The cryptfile backend (with Bouncy Castle) beside the plaintext one in Felix. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class CryptFileSwapIT extends CofferSupport {

    @Override
    protected List<Part> parts() {
        return List.of(Part.CORE, Part.CRYPTFILE);
    }

    @Test
    public void cryptfileIsActiveAndSwapsWithPlaintextLive() throws Exception {
        Path dir = workDir("cryptfile");
        swaps.plaintextIn(dir);
        swaps.cryptfileIn(dir);
        assertEquals(List.of("cryptfile", "plaintext"), backendNames());
        assertEquals("cryptfile", activeName());

        try {
            provider.set("svc", "alice", Secret.of("x"));
            fail("a locked keyring must refuse writes");
        } catch (KeyringLockedException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("keyring:unlock"));
        }
        admin.unlock("cryptfile", Secret.of("master password"));
        provider.set("svc", "alice", Secret.of("in cryptfile"));
        assertTrue(Files.readString(dir.resolve("cryptfile_pass.cfg")).contains("[svc]"));

        Bundle cryptfile = installed("org.coffer.backend.cryptfile");
        cryptfile.stop();
        assertEquals("plaintext", activeName());
        provider.set("svc", "alice", Secret.of("in plaintext"));
        assertEquals("in plaintext", provider.get("svc", "alice").map(Secret::reveal).orElse(null));

        cryptfile.start();
        await("cryptfile back on top", () -> "cryptfile".equals(activeName()));
        assertTrue("a restarted keyring starts locked", admin.activeBackend().locked());
        admin.unlock("cryptfile", Secret.of("master password"));
        assertEquals("in cryptfile", provider.get("svc", "alice").map(Secret::reveal).orElse(null));
    }
}
