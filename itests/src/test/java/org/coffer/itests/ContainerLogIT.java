package org.coffer.itests;

import static org.junit.Assert.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogReaderService;

/**
 * Every part of Coffer, started and stopped in a container with no Secret Service:
 * nothing is logged as an error. The Secret Service backend is simply absent, the
 * provider, the {@code enc:} resolver and the master key start without waiting for
 * each other, and nothing throws on the way down.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ContainerLogIT extends CofferSupport {

    private static final String NO_BUS = "unix:path=/nonexistent/coffer-no-bus";

    @Override
    protected List<Part> parts() {
        return List.of(Part.CORE, Part.CRYPTFILE, Part.SECRETSERVICE, Part.CREDENTIALS, Part.APPCONFIG);
    }

    @Override
    protected Option[] extra() {
        // the logs keep their whole history, so that what start-up logged can be read
        return new Option[] {property("org.apache.felix.log.maxSize", "-1"),
            property("equinox.log.history.max", "10000"),
            property("coffer.home", workDir().toString())};
    }

    private static Path workDir() {
        return Path.of(System.getProperty("coffer.work", "target/work")).resolve("container-log").toAbsolutePath();
    }

    @Test
    public void startsAndStopsWithAnEmptyErrorLog() throws Exception {
        org.osgi.service.cm.Configuration configuration =
                configurationAdmin.getConfiguration("org.coffer.backend.secretservice", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("bus.address", NO_BUS);
        configuration.update(properties);
        await("the Secret Service reported absent", () -> admin.allBackends().stream()
                .anyMatch(b -> b.name().equals("secretservice") && !b.active() && b.reason().contains(NO_BUS)),
                () -> admin.allBackends().toString());

        List<Bundle> coffer = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            String name = bundle.getSymbolicName();
            if (name != null && name.startsWith("org.coffer.") && bundle.getHeaders().get("Fragment-Host") == null
                    && bundle.getState() == Bundle.ACTIVE) {
                coffer.add(bundle);
            }
        }
        Collections.reverse(coffer);
        for (Bundle bundle : coffer) {
            bundle.stop();
        }
        Collections.reverse(coffer);
        for (Bundle bundle : coffer) {
            bundle.start();
        }
        await("the provider back", () -> context.getServiceReference(org.coffer.CredentialProvider.class) != null
                && context.getServiceReference(org.coffer.CredentialRepository.class) != null);

        assertEquals("errors logged", List.of(), errors());
    }

    /** @return the errors about Coffer every log reader (Felix's, Equinox's, Karaf's Pax Logging) holds */
    private List<String> errors() throws org.osgi.framework.InvalidSyntaxException {
        List<String> errors = new ArrayList<>();
        for (ServiceReference<LogReaderService> reference : context.getServiceReferences(LogReaderService.class,
                null)) {
            LogReaderService reader = context.getService(reference);
            for (LogEntry entry : Collections.list(reader.getLog())) {
                String line = entry.getBundle() + ": " + entry.getMessage()
                        + (entry.getException() == null ? "" : " " + entry.getException());
                // Coffer's own, and what SCR, ConfigAdmin or the framework say about Coffer; not
                // the container's own (Karaf's boot class path logs a NoClassDefFoundError of its
                // specs locator whenever bundles stop under Pax Exam)
                if (entry.getLogLevel() == LogLevel.ERROR && line.contains("coffer")) {
                    errors.add(line);
                }
            }
        }
        return errors;
    }
}
