package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.inject.Inject;
import org.coffer.ConfigDocument;
import org.coffer.ConfigValue;
import org.coffer.Credential;
import org.coffer.CredentialRepository;
import org.coffer.Secret;
import org.coffer.itests.Shell.Run;
import org.coffer.spi.ConfigFormat;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/** Pineapple's credentials.xml, the properties format and the credentials commands in Felix. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class CredentialsIT extends CofferSupport {

    static final String SEED_MASTER = "7af93081-e89d-4005-8e23-5c8070d8d773";
    static final String INFRA = "linux-pineapple-test-infrastructure";
    static final String SEED = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
            + "<configuration xmlns=\"http://pineapple.dev.java.net/ns/environment_1_0\">\n"
            + "  <environments>\n"
            + "    <environment description=\"Local Linux host\" id=\"linux-default\">\n"
            + "      <credentials>\n"
            + "        <credential password=\"encrypted:cucfJyRm0QR6EaNH7A6GRg==\" user=\"weblogic\" id=\"weblogic-edit-jmx\"/>\n"
            + "      </credentials>\n"
            + "    </environment>\n"
            + "    <environment description=\"Test infrastructure\" id=\"" + INFRA + "\">\n"
            + "      <credentials>\n"
            + "        <credential password=\"encrypted:VX1mne9VBLY=\" user=\"vagrant\" id=\"ssh-node1\"/>\n"
            + "        <credential password=\"vagrant\" user=\"vagrant\" id=\"ssh-node2\"/>\n"
            + "      </credentials>\n"
            + "    </environment>\n"
            + "  </environments>\n"
            + "</configuration>\n";

    @Inject
    private CredentialRepository repository;


    static Path home() {
        return Path.of(System.getProperty("coffer.work", "target/work")).resolve("credentials-home").toAbsolutePath();
    }

    @Override
    protected List<Part> parts() {
        return List.of(Part.CORE, Part.CREDENTIALS);
    }

    @Override
    protected Option[] extra() throws IOException {
        Path conf = home().resolve("conf");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("credentials.xml"), SEED);
        Files.writeString(conf.resolve("credentialprovider.password"), SEED_MASTER + "\n");
        return new Option[] {property("coffer.home", home().toString())};
    }

    private static String password(CredentialRepository repository, String environment, String id) {
        return repository.get(environment, id).map(Credential::secret).map(Secret::reveal).orElse(null);
    }

    @Test
    public void theSeedFileLoadsAndItsClearTextIsEncrypted() throws IOException {
        assertEquals(home().resolve("conf/credentials.xml"), repository.file());
        assertEquals("Weblogic99", password(repository, "linux-default", "weblogic-edit-jmx"));
        assertEquals("vagrant", password(repository, INFRA, "ssh-node1"));
        assertEquals("vagrant", password(repository, INFRA, "ssh-node2"));
        String saved = Files.readString(repository.file());
        assertFalse(saved, saved.contains("password=\"vagrant\""));
        assertTrue(saved, saved.contains("encrypted:VX1mne9VBLY="));
    }

    private Run run(String stdin, String command) throws Exception {
        return Shell.run(context, stdin, command);
    }

    @Test
    public void theCredentialsCommandsWork() throws Exception {
        Run envAdd = run("", "credentials:env-add staging Staging hosts");
        assertEquals(envAdd.err, 0, envAdd.status);
        assertEquals("Staging hosts", repository.environment("staging").get().description());
        Run noEnvironment = run("", "credentials:env-delete");
        assertEquals(2, noEnvironment.status);
        assertTrue(noEnvironment.err, noEnvironment.err.contains("usage: credentials:env-delete ENVIRONMENT\n"));
        Run add = run("s3cret ✓\n", "credentials:add staging db admin");
        assertEquals(add.err, 0, add.status);
        assertFalse(Files.readString(repository.file()).contains("s3cret"));
        Run list = run("", "credentials:list staging");
        assertEquals(0, list.status);
        assertTrue(list.out, list.out.contains("db") && list.out.contains("admin"));
        assertFalse(list.out, list.out.contains("s3cret"));
        Run all = run("", "credentials:list");
        assertTrue(all.out, all.out.contains("staging") && all.out.contains("Staging hosts") && all.out.contains(INFRA));
        assertEquals("admin\n", run("", "credentials:get staging db").out);
        assertEquals("admin\ns3cret ✓\n", run("", "credentials:get --reveal staging db").out);
        assertEquals(1, run("", "credentials:get staging nope").status);
        assertEquals(0, run("changed\n", "credentials:update staging db root").status);
        assertEquals("root\nchanged\n", run("", "credentials:get --reveal staging db").out);
        assertEquals(0, run("", "credentials:delete staging db").status);
        assertEquals(1, run("", "credentials:delete staging db").status);
        assertEquals(0, run("", "credentials:env-delete staging").status);
        assertEquals(1, run("", "credentials:env-delete staging").status);
        assertEquals(0, run("", "credentials:refresh").status);

        Run encrypted = run("typed value\n", "credentials:encrypt");
        assertTrue(encrypted.out, encrypted.out.startsWith("encrypted:"));
        Run enc = run("typed value\n", "credentials:encrypt --enc");
        assertTrue(enc.out, enc.out.startsWith("ENC(") && enc.out.endsWith(")\n"));
        String inner = enc.out.substring(4, enc.out.length() - 2);
        assertEquals("typed value", provider.resolve("enc:" + inner).map(Secret::reveal).orElse(null));
    }

    @Test
    public void propertiesValuesResolveThroughTheMasterPassword() throws Exception {
        String ciphertext = repository.encrypt(Secret.of("db password"));
        Path cfg = workDir("properties").resolve("org.example.db.cfg");
        Files.writeString(cfg, "url = jdbc:postgresql://db/app\npassword = ENC(" + ciphertext + ")\n");
        // Karaf starts the features' bundles in the background: the properties format may come last
        await("a format that accepts " + cfg, () -> accepting(cfg) != null);
        ConfigFormat format = accepting(cfg);
        ConfigDocument document = format.read(cfg);
        ConfigValue value = document.options("").get("password");
        assertEquals(1, value.references().size());
        assertEquals("enc", value.references().get(0).scheme());
        assertEquals("db password", provider.resolve("enc:" + value.references().get(0).path())
                .map(Secret::reveal).orElse(null));
        assertTrue(document.options("").get("url").references().isEmpty());
    }

    @Test
    public void aRefreshWhileReadersAreBusyNeverFailsThem() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread reader = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        if (!"vagrant".equals(password(repository, INFRA, "ssh-node1"))) {
                            throw new AssertionError("a reader saw a wrong value");
                        }
                        reads.incrementAndGet();
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }
            });
            reader.start();
            readers.add(reader);
        }
        try {
            for (int round = 0; round < 10; round++) {
                String content = Files.readString(repository.file());
                Files.writeString(repository.file(), content.replace("</credentials>\n    </environment>\n  </environments>",
                        "  <credential password=\"clear-" + round + "\" user=\"u\" id=\"added-" + round + "\"/>\n"
                                + "      </credentials>\n    </environment>\n  </environments>"));
                repository.refresh();
                assertEquals("clear-" + round, password(repository, INFRA, "added-" + round));
            }
        } finally {
            stop.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue("readers ran", reads.get() > 100);
        assertFalse(Files.readString(repository.file()).contains("clear-"));
    }

    /**
     * A configuration under the PID of format-xml, as the bundle was called before, still
     * configures credentials.xml, with a warning naming both PIDs; where both exist, the
     * current PID wins.
     */
    @Test
    public void theFormerPidStillConfiguresItWithAWarning() throws Exception {
        Path former = workDir("former-pid").resolve("credentials.xml");
        Path current = workDir("current-pid").resolve("credentials.xml");
        Files.writeString(former, SEED);
        Files.writeString(current, SEED);
        List<String> warnings = new CopyOnWriteArrayList<>();
        LogListener listener = entry -> {
            if (entry.getLogLevel() == LogLevel.WARN) {
                warnings.add(entry.getMessage());
            }
        };
        List<LogReaderService> readers = new ArrayList<>();
        for (ServiceReference<LogReaderService> reference : context.getServiceReferences(LogReaderService.class, null)) {
            readers.add(context.getService(reference));
        }
        readers.forEach(reader -> reader.addLogListener(listener));
        org.osgi.service.cm.Configuration formerConfiguration =
                configurationAdmin.getConfiguration("org.coffer.format.xml", "?");
        org.osgi.service.cm.Configuration currentConfiguration =
                configurationAdmin.getConfiguration("org.coffer.credentials.xml", "?");
        try {
            formerConfiguration.update(new Hashtable<>(Map.of("file", former.toString())));
            await("credentials.xml read from the file the former PID names", () -> former.equals(repositoryFile()));
            assertEquals("Weblogic99", password(context.getService(context.getServiceReference(
                    CredentialRepository.class)), "linux-default", "weblogic-edit-jmx"));
            await("a warning naming the former PID and the current one", () -> warnings.stream()
                    .anyMatch(w -> w.contains("org.coffer.format.xml") && w.contains("org.coffer.credentials.xml")),
                    warnings::toString);
            currentConfiguration.update(new Hashtable<>(Map.of("file", current.toString())));
            await("the current PID's file, over the former one's", () -> current.equals(repositoryFile()));
        } finally {
            formerConfiguration.delete();
            currentConfiguration.delete();
            readers.forEach(reader -> reader.removeLogListener(listener));
            await("credentials.xml back at the home's", () -> home().resolve("conf/credentials.xml")
                    .equals(repositoryFile()));
        }
    }

    /** @return the file of the repository registered now, or null while it is reconfigured */
    private Path repositoryFile() {
        ServiceReference<CredentialRepository> reference = context.getServiceReference(CredentialRepository.class);
        CredentialRepository current = reference == null ? null : context.getService(reference);
        return current == null ? null : current.file();
    }

    private ConfigFormat accepting(Path file) {
        try {
            Collection<ServiceReference<ConfigFormat>> references = context.getServiceReferences(ConfigFormat.class, null);
            return references.stream().map(context::getService).filter(f -> f.accepts(file)).findFirst().orElse(null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
