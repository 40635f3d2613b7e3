package org.coffer.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.coffer.Secret;
import org.coffer.itests.fixture.ResilientSettings;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.KarafDistributionOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.util.tracker.ServiceTracker;

/**
 * An administrator's {@code etc/*.cfg} in Karaf with a reference that resolves only
 * later: the component gets the value once it does, and Karaf's file installer, which
 * writes configurations back to their files, finds nothing changed in the file.
 * Karaf only: the other containers have no file installer on etc/.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class KarafEtcIT extends CofferSupport {

    @Override
    protected List<Part> parts() {
        return List.of(Part.CORE, Part.APPCONFIG);
    }

    @Override
    protected Option[] extra() {
        return new Option[] {
            KarafDistributionOption.editConfigurationFilePut("etc/resilient.cfg", "host", "etc.example.com"),
            KarafDistributionOption.editConfigurationFilePut("etc/resilient.cfg", "api_key_secret", "$[keyring:_/late]"),
            KarafDistributionOption.editConfigurationFilePut("etc/org.coffer.access.cfg", "resolve.pids", "resilient"),
            CoreOptions.bundle(new File(System.getProperty("coffer.fixture")).toURI().toString())};
    }

    private String delivered() {
        ServiceTracker<ResilientSettings, ResilientSettings> tracker = new ServiceTracker<>(context, ResilientSettings.class, null);
        tracker.open();
        try {
            ResilientSettings settings = tracker.waitForService(1_000);
            return settings == null ? null : settings.apiKeySecret();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            tracker.close();
        }
    }

    @Test
    public void aLaterResolvedReferenceIsDeliveredAndTheAdministratorsFileIsNotRewritten() throws Exception {
        configurePlaintext(PLAINTEXT_PID, "plaintext", workDir("karaf-etc").resolve("keyring_pass.cfg"), 50);
        await("delivered as written", () -> "$[keyring:_/late]".equals(delivered()), this::delivered);
        Path file = Path.of(System.getProperty("karaf.etc"), "resilient.cfg");
        byte[] before = Files.readAllBytes(file);
        provider.set("_", "late", Secret.of("resolved later"));
        await("delivered again, resolved", () -> "resolved later".equals(delivered()), this::delivered);
        assertArrayEquals("etc/resilient.cfg changed:\n" + Files.readString(file), before, Files.readAllBytes(file));
        String text = Files.readString(file);
        // the file as the administrator (here Pax Exam, which escapes the colon) wrote it
        assertTrue(text, text.contains("_/late]") && !text.contains("resolved later") && !text.contains(".coffer"));
        assertEquals("etc.example.com", configurationAdmin.getConfiguration("resilient", "?").getProperties().get("host"));
    }
}
