package org.coffer.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.coffer.AccessDeniedException;
import org.coffer.AuditEvent;
import org.coffer.BackendInfo;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * The access policy (PID {@code org.coffer.access}) with real bundles: this test's own
 * bundle is the application, or the rogue registering a backend, while the shell
 * bundle keeps administering.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class AccessPolicyIT extends CofferSupport {

    /** Coffer's own credentials.xml bundle reads under enforce by its name and Coffer's location. */
    @Override
    protected List<Part> parts() {
        return List.of(Part.CORE, Part.CREDENTIALS);
    }

    private String self() {
        return context.getBundle().getSymbolicName();
    }

    private void policy(Map<String, String> rules) throws Exception {
        writeAccessPolicy(rules);
    }

    @After
    public void openAgain() throws Exception {
        removeAccessPolicy();
        // ConfigAdmin's store outlives this test's framework
        configurationAdmin.getConfiguration("org.coffer.access", "?").delete();
        await("the policy open again", () -> {
            try {
                provider.get("db", "app");
                return true;
            } catch (AccessDeniedException e) {
                return false;
            }
        });
    }

    /** A bundle of no code with the given name, installed from a place that is not Coffer's. */
    private Bundle impostor(String name) throws Exception {
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        manifest.getMainAttributes().putValue(Constants.BUNDLE_SYMBOLICNAME, name);
        manifest.getMainAttributes().putValue(Constants.BUNDLE_VERSION, "9.0.0");
        java.io.ByteArrayOutputStream jar = new java.io.ByteArrayOutputStream();
        new java.util.jar.JarOutputStream(jar, manifest).close();
        Bundle bundle = context.installBundle("file:/tmp/deploy/" + name + "-9.0.0.jar",
                new java.io.ByteArrayInputStream(jar.toByteArray()));
        bundle.start();
        return bundle;
    }

    @Test
    public void aBundleThatTakesCoffersNameGetsNoneOfItsRights() throws Exception {
        entries();
        policy(Map.of("policy", "enforce"));
        Bundle shell = impostor("org.coffer.shell");
        try {
            org.coffer.CredentialProvider seen = shell.getBundleContext().getService(
                    shell.getBundleContext().getServiceReference(org.coffer.CredentialProvider.class));
            try {
                seen.get("db", "app");
                fail("a bundle named org.coffer.shell from elsewhere read an entry");
            } catch (AccessDeniedException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("not Coffer's"));
            }
            List<AuditEvent> audit = admin.audit(0);
            assertTrue("audited as not Coffer's: " + audit, audit.stream().anyMatch(e -> e.bundle()
                    .startsWith("org.coffer.shell (#" + shell.getBundleId() + ", not Coffer's")
                    && e.outcome().equals("denied")));
            Shell.Run real = Shell.run(context, "", "keyring:get db app");
            assertEquals(real.err, 0, real.status);
            assertEquals("db secret", real.out.strip());
        } finally {
            shell.uninstall();
        }
    }

    @Test
    public void coffersOwnCredentialsXmlBundleKeepsItsReadRightsUnderEnforce() throws Exception {
        entries();
        policy(Map.of("policy", "enforce"));
        await("reads refused", () -> denied(() -> provider.get("db", "app")));
        Bundle xml = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "org.coffer.credentials.xml".equals(b.getSymbolicName())).findFirst().orElseThrow();
        assertEquals(Bundle.ACTIVE, xml.getState());
        org.osgi.framework.BundleContext its = xml.getBundleContext();
        org.coffer.CredentialProvider seen = its.getService(its.getServiceReference(org.coffer.CredentialProvider.class));
        assertEquals("db secret", seen.get("db", "app").map(Secret::reveal).orElse(null));
        assertTrue("a read right is no write right", deniedTo(() -> seen.set("db", "app", Secret.of("x"))));
    }

    private static boolean deniedTo(Runnable call) {
        try {
            call.run();
            return false;
        } catch (AccessDeniedException e) {
            return true;
        }
    }

    @Test
    public void aPolicyWrittenThroughConfigurationAdminIsIgnoredAndAudited() throws Exception {
        entries();
        policy(Map.of("policy", "enforce"));
        await("reads refused", () -> denied(() -> provider.get("db", "app")));
        Dictionary<String, Object> open = new Hashtable<>();
        open.put("policy", "open");
        configurationAdmin.getConfiguration("org.coffer.access", "?").update(open);
        await("the foreign write audited", () -> admin.audit(0).stream().anyMatch(e -> e.action().equals("POLICY")
                && e.outcome().startsWith("ignored")));
        assertTrue("still enforced", denied(() -> provider.get("db", "app")));
    }

    @Test
    public void aSignerRuleGivesItsBundleNoRights() throws Exception {
        entries();
        policy(Map.of("policy", "enforce", "read." + self(), "*", "signer." + self(), "CN=Example Build"));
        await("reads refused", () -> denied(() -> provider.get("db", "app")));
        String described = admin.diagnose().toString();
        assertTrue(described, described.contains("signer rules are not supported"));
    }

    private void entries() throws Exception {
        configurePlaintext(PLAINTEXT_PID, "plaintext", workDir("access").resolve("keyring_pass.cfg"), 50);
        provider.set("db", "app", Secret.of("db secret"));
        provider.set("mail", "app", Secret.of("mail secret"));
    }

    private boolean denied(Runnable call) {
        try {
            call.run();
            return false;
        } catch (AccessDeniedException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(self()) && !e.getMessage().contains("secret"));
            return true;
        }
    }

    @Test
    public void aBundleWithoutARuleIsDeniedAndAuditedWhileTheShellKeepsWorking() throws Exception {
        entries();
        assertFalse("open: every bundle sees the backends", context.getServiceReferences(KeyringBackend.class, null).isEmpty());
        policy(Map.of("policy", "enforce"));
        await("reads refused", () -> denied(() -> provider.get("db", "app")));
        assertTrue("enforced: no backend in sight of another bundle",
                context.getServiceReferences(KeyringBackend.class, null).isEmpty());
        assertTrue(denied(() -> provider.set("db", "app", Secret.of("overwritten"))));
        assertTrue(denied(() -> admin.use("plaintext")));
        List<AuditEvent> audit = admin.audit(0);
        assertTrue("the refusal is audited: " + audit, audit.stream().anyMatch(e -> e.bundle().equals(self())
                && e.action().equals("READ") && e.target().equals("db/app") && e.outcome().equals("denied")));
        assertTrue(audit.stream().anyMatch(e -> e.action().equals("PIN") && e.outcome().equals("denied")));
        audit.forEach(e -> assertFalse("no value in the audit: " + e, e.toString().contains("secret")));

        Shell.Run shell = Shell.run(context, "", "keyring:get db app");
        assertEquals(shell.err, 0, shell.status);
        assertEquals("db secret", shell.out.strip());
    }

    @Test
    public void aBundleWithARuleReadsOnlyItsServices() throws Exception {
        entries();
        policy(Map.of("policy", "enforce", "read." + self(), "db/*"));
        await("another service refused", () -> denied(() -> provider.get("mail", "app")));
        assertEquals("its own service readable", "db secret", provider.get("db", "app").map(Secret::reveal).orElse(null));
        assertTrue("a read rule gives no write", denied(() -> provider.set("db", "app", Secret.of("x"))));
        List<AuditEvent> audit = admin.audit(0);
        assertTrue("the read is audited: " + audit, audit.stream().anyMatch(e -> e.bundle().equals(self()) && e.action().equals("READ")
                && e.target().equals("db/app") && e.outcome().startsWith("ok")));
    }

    @Test
    public void underAuditEverythingIsAllowedAndWhatEnforcingWouldRefuseIsRecorded() throws Exception {
        entries();
        policy(Map.of("policy", "audit"));
        await("would-be refusals recorded", () -> {
            provider.get("mail", "app");
            return admin.audit(0).stream().anyMatch(e -> e.target().equals("mail/app")
                    && e.outcome().equals("would be denied"));
        });
        assertEquals("mail secret", provider.get("mail", "app").map(Secret::reveal).orElse(null));
    }

    @Test
    public void aRogueBackendRankedAThousandIsIgnoredUnderEnforce() throws Exception {
        entries();
        Map<String, String> received = new ConcurrentHashMap<>();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_RANKING, 1000);
        properties.put(KeyringBackend.NAME_PROPERTY, "rogue");
        ServiceRegistration<KeyringBackend> rogue = context.registerService(KeyringBackend.class,
                new RogueBackend(received), properties);
        try {
            await("open: the rogue becomes the active backend", () -> "rogue".equals(activeName()));
            policy(Map.of("policy", "enforce", "read." + self(), "*", "write." + self(), "*"));
            await("enforced: the rogue is ignored", () -> "plaintext".equals(activeName()));
            received.clear();
            provider.set("db", "app", Secret.of("after enforcing"));
            assertEquals("after enforcing", provider.get("db", "app").map(Secret::reveal).orElse(null));
            assertTrue("the rogue received " + received.keySet(), received.isEmpty());
            BackendInfo listed = admin.allBackends().stream().filter(b -> b.name().equals("rogue")).findFirst()
                    .orElseThrow(() -> new AssertionError("keyring:backends --all lists the rogue"));
            assertFalse(listed.viable());
            assertTrue(listed.reason(), listed.reason().contains("ignored") && listed.reason().contains(self()));
        } finally {
            rogue.unregister();
        }
    }

    @Test
    public void aPasswordTypedOnceNeverReachesABackendThatWasNotNamed() throws Exception {
        entries();
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_RANKING, 500);
        properties.put(KeyringBackend.NAME_PROPERTY, "busowner");
        ServiceRegistration<KeyringBackend> owner = context.registerService(KeyringBackend.class,
                new LockedBackend(received), properties);
        try {
            await("the locked backend is listed", () -> backendNames().contains("busowner"));
            Shell.Run all = Shell.run(context, "the keyring password\n", "keyring:unlock");
            assertEquals(all.err, 0, all.status);
            assertTrue("a password for the keyring files went to " + received, received.isEmpty());
            Shell.Run named = Shell.run(context, "its own password\n", "keyring:unlock busowner");
            assertEquals(named.err, 0, named.status);
            assertEquals(List.of("its own password"), received);
        } finally {
            owner.unregister();
        }
    }

    /** A locked backend that is not a keyring file: it takes a password only when named. */
    private static final class LockedBackend implements KeyringBackend {
        private final List<String> received;

        LockedBackend(List<String> received) {
            this.received = received;
        }

        @Override
        public String name() {
            return "busowner";
        }

        @Override
        public boolean isLocked() {
            return received.isEmpty();
        }

        @Override
        public void unlock(Secret password) {
            received.add(password.reveal());
        }

        @Override
        public Optional<Secret> get(String service, String username) {
            return Optional.empty();
        }

        @Override
        public void set(String service, String username, Secret secret) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public boolean delete(String service, String username) {
            return false;
        }
    }

    /** What another bundle might register: a backend that keeps what it is sent. */
    private static final class RogueBackend implements KeyringBackend {
        private final Map<String, String> received;

        RogueBackend(Map<String, String> received) {
            this.received = received;
        }

        @Override
        public String name() {
            return "rogue";
        }

        @Override
        public Optional<Secret> get(String service, String username) {
            return Optional.ofNullable(received.get(service + "/" + username)).map(Secret::of);
        }

        @Override
        public void set(String service, String username, Secret secret) {
            received.put(service + "/" + username, secret.reveal());
        }

        @Override
        public boolean delete(String service, String username) {
            return received.remove(service + "/" + username) != null;
        }
    }
}
