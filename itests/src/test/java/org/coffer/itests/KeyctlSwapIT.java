package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.coffer.Secret;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

/**
 * The kernel keyring backend (JNA inside the container) above the plaintext file:
 * readers never fail while its bundle is stopped and started, and what it holds
 * outlives the bundle, since the kernel keeps it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class KeyctlSwapIT extends CofferSupport {

    private static final int READERS = 2;
    private static final int SWAPS = 20;

    @Override
    protected List<Part> parts() {
        return List.of(Part.CORE, Part.KEYCTL);
    }

    @Test
    public void readersNeverFailWhileTheKernelKeyringComesAndGoes() throws Exception {
        Path dir = workDir("keyctl");
        swaps.plaintextIn(dir);
        await("the kernel keyring above the file", () -> backendNames().equals(List.of("keyctl", "plaintext")),
                () -> admin.allBackends().toString());
        String service = "keyctl swap " + System.nanoTime();
        swaps.sameValueIn("keyctl", "plaintext", service, "alice", "same value");

        swaps.swapWhileReading(installed("org.coffer.backend.keyctl"), SWAPS, READERS, service, "alice", "same value",
                () -> { });
        await("keyctl back on top", () -> "keyctl".equals(activeName()));
        admin.use("keyctl");
        assertEquals("same value", provider.get(service, "alice").map(Secret::reveal).orElse(null));
        assertTrue(provider.delete(service, "alice"));
        admin.useAutomatic();
    }
}
