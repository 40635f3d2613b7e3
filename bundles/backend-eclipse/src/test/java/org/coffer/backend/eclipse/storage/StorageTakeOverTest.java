package org.coffer.backend.eclipse.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.coffer.backend.eclipse.internal.EquinoxWriter;
import org.coffer.backend.secretservice.fixture.SecretServiceDaemon;
import org.coffer.test.Peers;
import org.coffer.test.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Taking over storages that real Equinox wrote in a process of its own: with a
 * {@code -eclipse.password}, and with Eclipse's own Linux provider, whose master
 * password sits in gnome-keyring where libsecret put it.
 */
class StorageTakeOverTest {

    private static final String OLD = "eclipse's own master password";
    private static final String NEW = "Coffer's new master password";
    private static final String MODULE = "org.coffer.eclipse.provider";
    private static final String GIT = "/GIT/https:\\2f\\2fgit.example.com:443";
    /** The Linux provider's module id as Equinox writes it: its extension's id, lower case. */
    private static final String LINUX_MODULE = "org.eclipse.equinox.security.linuxkeystoreintegrationjna";

    @TempDir
    Path dir;

    @Test
    void everyValueMovesUnderTheNewModuleAfterACopyOfTheFile() throws Exception {
        Path file = dir.resolve("secure_storage");
        EquinoxWriter.inProcessOfItsOwn(file, OLD, GIT, "user", "alice", "false", GIT, "password", "s3cret", "true",
                "/org.example/tokens", "api/v2", "tök", "true");
        byte[] before = Files.readAllBytes(file);

        StorageTakeOver.Result result = StorageTakeOver.takeOver(file, OLD.toCharArray(), MODULE, NEW.toCharArray());

        assertThat(result.values()).isEqualTo(2);
        assertThat(result.modules()).containsExactly("org.eclipse.equinox.security.noModule");
        assertThat(Files.readAllBytes(result.backup())).isEqualTo(before);
        assertThat(result.backup().getFileName().toString()).startsWith("secure_storage.before-coffer-");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(result.backup())))
                .isEqualTo("rw-------");
        SecureStorage taken = SecureStorage.read(file);
        assertThat(clearValues(taken, NEW)).containsEntry(GIT + "/password", "s3cret")
                .containsEntry("/org.example/tokens//api/v2", "tök");
        assertThat(taken.clear(GIT, "user")).as("a clear value stays as it was").isEqualTo("alice");
        assertThat(taken.values()).filteredOn(SecureStorage.Value::encrypted).extracting(SecureStorage.Value::moduleId)
                .containsOnly(MODULE);
        assertThat(taken.values()).extracting(SecureStorage.Value::name)
                .contains(SecureStorage.VERIFICATION_NODE + "/" + MODULE);
        assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).startsWith("#" + SecureStorage.HEADER)
                .doesNotContain("s3cret");
        assertThat(PasswordCheck.passes(file, MODULE, NEW.toCharArray())).contains(true);
        assertThat(PasswordCheck.passes(file, MODULE, OLD.toCharArray())).contains(false);
        assertThat(PasswordCheck.passes(file, "org.eclipse.equinox.security.noModule", OLD.toCharArray()))
                .as("no check of that module any more").isEmpty();
        assertThat(PasswordCheck.passes(dir.resolve("missing"), MODULE, NEW.toCharArray())).isEmpty();
    }

    @Test
    void aWrongPasswordOrASecondTakeOverChangesNothing() throws Exception {
        Path file = dir.resolve("secure_storage");
        EquinoxWriter.inProcessOfItsOwn(file, OLD, "/org.example/db", "password", "pw", "true");
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> StorageTakeOver.takeOver(file, "not it".toCharArray(), MODULE, NEW.toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("opens no value of " + file)
                .hasMessageNotContaining("not it");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("before-coffer"));
        }

        StorageTakeOver.takeOver(file, OLD.toCharArray(), MODULE, NEW.toCharArray());
        byte[] taken = Files.readAllBytes(file);
        assertThatThrownBy(() -> StorageTakeOver.takeOver(file, NEW.toCharArray(), MODULE, OLD.toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already has values of " + MODULE);
        assertThat(Files.readAllBytes(file)).isEqualTo(taken);
    }

    /**
     * A wrong password decrypts a value without a padding error about once in 256: it must
     * not pass for the master password, with Equinox's password check or without one.
     */
    @Test
    void noneOfThousandsOfWrongPasswordsOpensAModule() throws Exception {
        Path file = dir.resolve("secure_storage");
        EquinoxWriter.inProcessOfItsOwn(file, OLD, "/a", "k", "v", "true", "/b", "k", "w", "true");
        StorageTakeOver.takeOver(dir.resolve("secure_storage"), OLD.toCharArray(), MODULE, NEW.toCharArray());
        SecureStorage storage = SecureStorage.read(file);
        assertThat(PasswordCheck.modulesOpenedBy(storage, NEW.toCharArray())).containsExactly(MODULE);
        for (int i = 0; i < 3000; i++) {
            assertThat(PasswordCheck.modulesOpenedBy(storage, ("wrong " + i).toCharArray())).as("wrong %d", i).isEmpty();
        }
        Path other = dir.resolve("without_check");
        EquinoxWriter.inProcessOfItsOwn(other, OLD, "/a", "k", "v", "true");
        SecureStorage withoutCheck = SecureStorage.read(other);
        assertThat(PasswordCheck.modulesOpenedBy(withoutCheck, OLD.toCharArray())).containsExactly("org.eclipse.equinox.security.noModule");
        for (int i = 0; i < 3000; i++) {
            assertThat(PasswordCheck.modulesOpenedBy(withoutCheck, ("wrong " + i).toCharArray())).as("wrong %d", i).isEmpty();
        }
    }

    /** The old password as a user of Eclipse's Linux provider finds it: in the Secret Service, read with secret-tool. */
    @Test
    void aStorageOfEclipsesLinuxProviderMovesWithThePasswordFromItsSecretServiceItem() throws Exception {
        Peers.require(SecretServiceDaemon.installed() && Files.isExecutable(Path.of("/usr/bin/secret-tool")),
                SecretServiceDaemon.PACKAGES + " and secret-tool (apt-get install libsecret-tools)");
        try (SecretServiceDaemon daemon = SecretServiceDaemon.start(dir.resolve("bus"), "login password")) {
            Path bundles = Files.createDirectories(dir.resolve("bundles"));
            for (String folder : List.of("coffer.equinox.security", "coffer.equinox.security.linux")) {
                for (File jar : new File(System.getProperty(folder)).listFiles()) {
                    Files.copy(jar.toPath(), bundles.resolve(jar.getName()));
                }
            }
            Path framework = Path.of(org.eclipse.osgi.launch.EquinoxFactory.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI());
            Path file = dir.resolve("secure_storage");
            // "-": the highest-priority provider gives the password, here Eclipse's Linux one, which makes it
            EquinoxWriter.inProcessOfItsOwn(framework, bundles, daemon.environment(), file, "-",
                    GIT, "password", "s3cret", "true", "/org.example/db", "password", "pw", "true");
            assertThat(Files.readString(file)).contains(LINUX_MODULE + "\\t");
            List<String> lookup = new ArrayList<>(List.of("/usr/bin/secret-tool", "lookup", "xdg:schema",
                    "org.eclipse.equinox"));
            Processes.Result item = Processes.run(lookup, daemon.environment(), null);
            assertThat(item.exit).as("the Linux provider's item: %s", item.stderr).isZero();

            StorageTakeOver.Result result = StorageTakeOver.takeOver(file, item.stdout.strip().toCharArray(), MODULE,
                    NEW.toCharArray());

            assertThat(result.modules()).containsExactly(LINUX_MODULE);
            assertThat(result.values()).isEqualTo(2);
            SecureStorage taken = SecureStorage.read(file);
            assertThat(clearValues(taken, NEW)).containsEntry(GIT + "/password", "s3cret")
                    .containsEntry("/org.example/db/password", "pw");
            assertThat(taken.values()).extracting(SecureStorage.Value::name).as("the Linux provider's password check")
                    .doesNotContain(SecureStorage.VERIFICATION_NODE + "/" + LINUX_MODULE);
        }
    }

    @Test
    void aRunningEclipseThatUsesTheStorageIsSeen() throws Exception {
        Path file = Files.writeString(dir.resolve("secure_storage"), "");
        Path framework = Path.of(org.eclipse.osgi.launch.EquinoxFactory.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dosgi.noShutdown=true", "-jar", framework.toString(), "-configuration",
                dir.resolve("configuration").toString(), "-eclipse.keyring", file.toString());
        builder.redirectErrorStream(true).redirectOutput(dir.resolve("equinox.log").toFile());
        Process equinox = builder.start();
        try {
            // its command line is there from the start, as it is while the program runs
            assertThat(EclipseProcesses.holding(file, dir)).singleElement().asString()
                    .startsWith(equinox.pid() + " (");
            assertThat(EclipseProcesses.holding(dir.resolve("another_storage"), dir)).isEmpty();
        } finally {
            equinox.destroyForcibly().waitFor();
        }
        assertThat(EclipseProcesses.holding(file, dir)).isEmpty();
    }

    private static Map<String, String> clearValues(SecureStorage storage, String password) throws Exception {
        Map<String, String> values = new HashMap<>();
        for (SecureStorage.Value value : storage.values()) {
            if (value.encrypted() && !value.node().startsWith(SecureStorage.INTERNAL_NODE)) {
                values.put(value.name(), new String(storage.decrypt(value, password.toCharArray()),
                        StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
