package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.coffer.Secret;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * Two backend bundles hold the same secret: the plaintext bundle, and a second copy of
 * it installed from another location and configured through a location-targeted PID
 * as a higher-ranked keyring on its own file. Readers never see a failure while the
 * higher-ranked bundle comes and goes.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class HotSwapIT extends CofferSupport {

    private static final int READERS = 4;
    private static final int SWAPS = 100;

    static File secondCopy() {
        return new File(bundles(), "second/" + PLAINTEXT_BSN + ".jar");
    }

    @Override
    protected Option[] extra() throws IOException {
        Files.createDirectories(secondCopy().toPath().getParent());
        Files.copy(new File(bundles(), PLAINTEXT_BSN + ".jar").toPath(), secondCopy().toPath(),
                StandardCopyOption.REPLACE_EXISTING);
        return new Option[] {property("org.osgi.framework.bsnversion", "multiple")};
    }

    /** The second copy, installed from its own location as an administrator would (Karaf's features hold one). */
    private Bundle secondBundle() throws BundleException {
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().equals(secondCopy().toURI().toString())) {
                return b;
            }
        }
        Bundle second = context.installBundle(secondCopy().toURI().toString());
        second.start();
        return second;
    }

    /** The second copy and its configuration go: the framework's next test finds the plaintext bundle alone. */
    @After
    public void removeTheSecondCopy() throws Exception {
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().equals(secondCopy().toURI().toString())) {
                configurationAdmin.getConfiguration(targeted(b), "?").delete();
                b.uninstall();
            }
        }
        await("the second copy gone", () -> !backendNames().contains("high"));
    }

    private static String targeted(Bundle second) {
        return PLAINTEXT_PID + "|" + PLAINTEXT_BSN + "|" + second.getVersion() + "|" + second.getLocation();
    }

    private void configureBoth(Path dir) throws IOException, BundleException {
        Bundle second = secondBundle();
        configurePlaintext(targeted(second), "high", dir.resolve("high.cfg"), 200);
        configurePlaintext(PLAINTEXT_PID, "plaintext", dir.resolve("low.cfg"), 50);
        await("both backends", () -> backendNames().equals(List.of("high", "plaintext")));
    }

    @Test
    public void readersNeverFailWhileTheTopBackendIsStoppedAndStarted() throws Exception {
        configureBoth(workDir("hotswap"));
        swaps.sameValueIn("high", "plaintext", "hot", "swap", "same value");

        Bundle high = secondBundle();
        boolean[] sawSwap = {false};
        SwapFixture.ReadLoad load = swaps.swapWhileReading(high, SWAPS, READERS, "hot", "swap", "same value",
                () -> sawSwap[0] |= "plaintext".equals(activeName()));
        assertTrue("readers kept reading: " + load.reads.get(), load.reads.get() > SWAPS * READERS);
        assertTrue("the stop swapped to plaintext", sawSwap[0]);
        await("high back on top", () -> "high".equals(activeName()));
    }

    @Test
    public void writesFollowTheSwapLive() throws Exception {
        Path dir = workDir("follow");
        configureBoth(dir);
        Bundle high = secondBundle();
        high.stop();
        assertEquals(List.of("plaintext"), backendNames());
        provider.set("live", "swap", Secret.of("went to plaintext"));
        assertTrue(Files.readString(dir.resolve("low.cfg")).contains("[live]"));
        high.start();
        await("high back", () -> "high".equals(activeName()));
        provider.set("live", "swap", Secret.of("went to high"));
        assertTrue(Files.readString(dir.resolve("high.cfg")).contains("[live]"));
        assertEquals("went to high", provider.get("live", "swap").map(Secret::reveal).orElse(null));
    }
}
