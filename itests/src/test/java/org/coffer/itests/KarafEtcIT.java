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

    private static byte[] whole(Path file) {
        byte[][] read = new byte[1][];
        await("a whole " + file, () -> {
            try {
                read[0] = Files.readAllBytes(file);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            return read[0].length > 0;
        });
        return read[0];
    }

    @Test
    public void aLaterResolvedReferenceIsDeliveredAndTheAdministratorsFileIsNotRewritten() throws Exception {
        configurePlaintext(PLAINTEXT_PID, "plaintext", workDir("karaf-etc").resolve("keyring_pass.cfg"), 50);
        await("delivered as written", () -> "$[keyring:_/late]".equals(delivered()), this::delivered);
        Path file = Path.of(System.getProperty("karaf.etc"), "resilient.cfg");
        // Karaf's file installer writes a configuration back to its file, truncating it first, on
        // every update (its own first one included): read the file whole
        byte[] before = whole(file);
        provider.set("_", "late", Secret.of("resolved later"));
        await("delivered again, resolved", () -> "resolved later".equals(delivered()), this::delivered);
        byte[] after = whole(file);
        String text = new String(after, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertArrayEquals("etc/resilient.cfg changed:\n" + text, before, after);
        // the file as the administrator (here Pax Exam, which escapes the colon) wrote it
        assertTrue(text, text.contains("_/late]") && !text.contains("resolved later") && !text.contains(".coffer"));
        assertEquals("etc.example.com", configurationAdmin.getConfiguration("resilient", "?").getProperties().get("host"));
    }
}
