package org.coffer.credentials.xml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.coffer.CofferException;
import org.coffer.ConfigFormatException;
import org.coffer.Credential;
import org.coffer.CredentialEnvironment;
import org.coffer.Secret;
import org.coffer.crypto.MasterKey;
import org.coffer.crypto.ValueCipher;
import org.coffer.crypto.internal.JasyptCipher;
import org.coffer.crypto.internal.MasterPasswordFile;
import org.coffer.crypto.internal.PasswordMasterKey;
import org.coffer.files.AtomicFile;
import org.jasypt.encryption.pbe.StandardPBEStringEncryptor;
import org.jasypt.iv.RandomIvGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class XmlCredentialRepositoryTest {

    static final String SEED_MASTER = "7af93081-e89d-4005-8e23-5c8070d8d773";
    static final String INFRA = "linux-pineapple-test-infrastructure";

    @TempDir
    Path dir;
    Path credentials;
    Path master;

    @BeforeEach
    void paths() {
        credentials = dir.resolve("conf/credentials.xml");
        master = dir.resolve("conf/credentialprovider.password");
    }

    private void seed(String resource) throws IOException {
        Files.createDirectories(credentials.getParent());
        try (InputStream in = getClass().getResourceAsStream("/" + resource)) {
            Files.write(credentials, in.readAllBytes());
        }
    }

    private void masterPassword(String value) throws IOException {
        Files.createDirectories(master.getParent());
        Files.writeString(master, value);
    }

    private XmlCredentialRepository open() {
        return new XmlCredentialRepository(credentials, new PasswordMasterKey(new MasterPasswordFile(master)));
    }

    private static String password(XmlCredentialRepository repository, String environment, String id) {
        return repository.get(environment, id).map(Credential::secret).map(Secret::reveal).orElse(null);
    }

    @Test
    void readsTheExampleOfPineapplesDocumentationWithItsMasterPassword() throws IOException {
        seed("seed-encrypted.xml");
        masterPassword(SEED_MASTER + "\n");
        byte[] before = Files.readAllBytes(credentials);
        XmlCredentialRepository repository = open();
        assertThat(password(repository, "linux-default", "weblogic-edit-jmx")).isEqualTo("Weblogic99");
        assertThat(password(repository, INFRA, "ssh-node1")).isEqualTo("vagrant");
        assertThat(password(repository, INFRA, "ssh-node2")).isEqualTo("vagrant");
        assertThat(repository.get("linux-default", "weblogic-edit-jmx").get().username()).isEqualTo("weblogic");
        assertThat(repository.environments()).extracting(CredentialEnvironment::id).containsExactly("linux-default", INFRA);
        assertThat(repository.environment(INFRA).get().users()).containsExactly(Map.entry("ssh-node1", "vagrant"),
                Map.entry("ssh-node2", "vagrant"));
        assertThat(Files.readAllBytes(credentials)).as("nothing to encrypt, nothing written").isEqualTo(before);
    }

    @Test
    void encryptsClearTextOnLoadWithANewMasterPasswordAndKeepsWhatItDoesNotModel() throws IOException {
        seed("seed-clear.xml");
        XmlCredentialRepository repository = open();
        assertThat(master).exists();
        assertThat(Files.getPosixFilePermissions(master)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String saved = Files.readString(credentials);
        assertThat(saved).doesNotContain("password=\"vagrant\"", "WebLogic99").contains("encrypted:")
                .contains("<resources>", "plugin-id=\"com.alpha.pineapple.plugin.weblogic.jmx\"", "<!-- edited by hand -->",
                        "key=\"host\"");
        assertThat(Files.getPosixFilePermissions(credentials)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(password(repository, "linux-default", "weblogic-edit-jmx")).isEqualTo("WebLogic99");
        assertThat(password(open(), INFRA, "ssh-node2")).isEqualTo("vagrant");
        assertThat(Files.readString(credentials)).as("a second load writes nothing").isEqualTo(saved);
    }

    @Test
    void encryptsClearTextWithAnExistingMasterPassword() throws IOException {
        seed("seed-clear.xml");
        masterPassword(SEED_MASTER);
        open();
        JasyptCipher cipher = new JasyptCipher(SEED_MASTER.toCharArray());
        String saved = Files.readString(credentials);
        java.util.regex.Matcher value = java.util.regex.Pattern.compile("id=\"ssh-node1\" password=\"encrypted:([^\"]+)\"")
                .matcher(saved);
        assertThat(value.find()).as(saved).isTrue();
        assertThat(cipher.decrypt(value.group(1)).map(Secret::reveal)).contains("vagrant");
    }

    @Test
    void readsValuesJasyptWroteWithEveryScheme() throws IOException {
        masterPassword("jasypt master");
        StandardPBEStringEncryptor aes = new StandardPBEStringEncryptor();
        aes.setPassword("jasypt master");
        aes.setAlgorithm("PBEWITHHMACSHA512ANDAES_256");
        aes.setIvGenerator(new RandomIvGenerator());
        StandardPBEStringEncryptor des = new StandardPBEStringEncryptor();
        des.setPassword("jasypt master");
        JasyptCipher coffer = new JasyptCipher("jasypt master".toCharArray());
        Files.createDirectories(credentials.getParent());
        Files.writeString(credentials, "<configuration xmlns=\"" + CredentialsXml.NAMESPACE + "\"><environments>"
                + "<environment id=\"e\"><credentials>"
                + "<credential id=\"aes\" user=\"u\" password=\"encrypted:" + aes.encrypt("aes value") + "\"/>"
                + "<credential id=\"des\" user=\"u\" password=\"encrypted:" + des.encrypt("des value") + "\"/>"
                + "<credential id=\"pineapple\" user=\"u\" password=\"encrypted:"
                + coffer.encrypt(Secret.of("fixed salt"), JasyptCipher.Scheme.PINEAPPLE_DES) + "\"/>"
                + "</credentials></environment></environments></configuration>");
        XmlCredentialRepository repository = open();
        assertThat(password(repository, "e", "aes")).isEqualTo("aes value");
        assertThat(password(repository, "e", "des")).isEqualTo("des value");
        assertThat(password(repository, "e", "pineapple")).isEqualTo("fixed salt");
        repository.create("e", "new", "u", Secret.of("new value"));
        String stored = Files.readString(credentials).replaceAll("(?s).*id=\"new\" password=\"encrypted:([^\"]+)\".*", "$1");
        assertThat(aes.decrypt(stored)).as("plain Jasypt reads what Coffer writes").isEqualTo("new value");
    }

    private void assertRefusedUnchanged(String content, Class<? extends CofferException> type, String... message)
            throws IOException {
        Files.createDirectories(credentials.getParent());
        Files.writeString(credentials, content);
        byte[] before = Files.readAllBytes(credentials);
        assertThatThrownBy(this::open).isInstanceOf(type).hasMessageContaining(credentials.toString())
                .hasMessageContainingAll(message);
        assertThat(Files.readAllBytes(credentials)).isEqualTo(before);
    }

    @Test
    void refusesExternalEntities() throws IOException {
        Path secretFile = dir.resolve("secret.txt");
        Files.writeString(secretFile, "TOP-SECRET");
        assertRefusedUnchanged("<?xml version=\"1.0\"?>\n<!DOCTYPE configuration [<!ENTITY xxe SYSTEM \""
                + secretFile.toUri() + "\">]>\n<configuration xmlns=\"" + CredentialsXml.NAMESPACE + "\"><environments>"
                + "<environment id=\"e\"><credentials><credential id=\"c\" user=\"u\" password=\"&xxe;\"/>"
                + "</credentials></environment></environments></configuration>", ConfigFormatException.class, "DOCTYPE",
                "line 2");
        assertThat(master).doesNotExist();
    }

    @Test
    void refusesEntityExpansion() throws IOException {
        StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
        for (int i = 1; i < 10; i++) {
            laughs.append(" <!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i == 1 ? "" : String.valueOf(i - 1)) + ";").repeat(10)).append("\">\n");
        }
        laughs.append("]>\n<configuration><environments><environment id=\"&lol9;\"/></environments></configuration>");
        assertRefusedUnchanged(laughs.toString(), ConfigFormatException.class, "DOCTYPE");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "<!DOCTYPE configuration SYSTEM \"http://127.0.0.1:9/credentials.dtd\">",
        "<!DOCTYPE configuration PUBLIC \"-//Coffer//Test//EN\" \"file:///etc/passwd\">",
        "<!DOCTYPE configuration [<!ENTITY % remote SYSTEM \"file:///etc/passwd\"> %remote;]>"})
    void refusesEveryDoctypeAtItsLine(String doctype) throws IOException {
        assertRefusedUnchanged("<?xml version=\"1.0\"?>\n" + doctype + "\n<configuration xmlns=\""
                + CredentialsXml.NAMESPACE + "\"><environments/></configuration>", ConfigFormatException.class,
                "line 2", "no DOCTYPE");
    }

    @Test
    void refusesEntityReferencesWithoutADoctype() throws IOException {
        assertRefusedUnchanged("<configuration xmlns=\"" + CredentialsXml.NAMESPACE + "\"><environments>\n"
                + "<environment id=\"e\"><credentials><credential id=\"c\" user=\"u\" password=\"&xxe;\"/>"
                + "</credentials></environment></environments></configuration>", ConfigFormatException.class,
                "line 2", "\"xxe\"");
    }

    /** A file whose elements nest {@code levels} deep, all below {@code <environments>}. */
    private static String nested(int levels) {
        return "<configuration xmlns=\"" + CredentialsXml.NAMESPACE + "\">\n<environments>\n"
                + "<a>".repeat(levels - 2) + "</a>".repeat(levels - 2) + "\n</environments>\n</configuration>";
    }

    @Test
    void refusesDeepNestingNamingTheFileTheLineAndTheLimit() throws IOException {
        assertRefusedUnchanged(nested(100_000), ConfigFormatException.class, "line 3", "at most 64 levels",
                "level 65");
        assertThat(master).doesNotExist();
    }

    @Test
    void readsNestingUpToTheLimit() throws IOException {
        Files.createDirectories(credentials.getParent());
        Files.writeString(credentials, nested(CredentialsXml.MAX_DEPTH));
        assertThat(open().environments()).isEmpty();
        assertRefusedUnchanged(nested(CredentialsXml.MAX_DEPTH + 1), ConfigFormatException.class, "level 65");
    }

    @Test
    void aComponentWhoseFileIsTooDeepReportsItOnEveryCallUntilARefreshReadsItFixed() throws IOException {
        Files.createDirectories(credentials.getParent());
        Files.writeString(credentials, nested(100_000));
        byte[] before = Files.readAllBytes(credentials);
        XmlCredentialRepository repository = new XmlCredentialRepository(credentials,
                new PasswordMasterKey(new MasterPasswordFile(master)), false);
        assertThatThrownBy(repository::environments).isInstanceOf(CofferException.class)
                .hasMessageContaining(credentials.toString()).hasMessageContaining("at most 64 levels")
                .hasMessageContaining("credentials:refresh");
        repository.reloadIfChanged();
        assertThatThrownBy(() -> repository.get(INFRA, "ssh-node1")).hasMessageContaining("at most 64 levels");
        assertThat(Files.readAllBytes(credentials)).isEqualTo(before);

        seed("seed-encrypted.xml");
        masterPassword(SEED_MASTER);
        repository.refresh();
        assertThat(password(repository, INFRA, "ssh-node1")).isEqualTo("vagrant");
    }

    /** A file of exactly {@code size} bytes: an empty configuration and a comment. */
    private static String ofSize(long size) {
        String start = "<configuration xmlns=\"" + CredentialsXml.NAMESPACE + "\"><environments/>\n<!-- ";
        String end = " -->\n</configuration>";
        return start + "x".repeat((int) size - start.length() - end.length()) + end;
    }

    @Test
    void refusesAFileLargerThan16MiBAndReadsOneOf16MiB() throws IOException {
        assertRefusedUnchanged(ofSize(AtomicFile.MAX_SIZE + 1), ConfigFormatException.class, "at most 16 MiB",
                "not read");
        Files.writeString(credentials, ofSize(AtomicFile.MAX_SIZE));
        assertThat(open().environments()).isEmpty();
    }

    @Test
    void refusesMalformedFilesWithTheirLine() throws IOException {
        assertRefusedUnchanged("<configuration xmlns=\"" + CredentialsXml.NAMESPACE + "\">\n<environments>\n"
                + "<environment id=\"e\">\n</environments>\n</configuration>", ConfigFormatException.class, "line 4");
    }

    @Test
    void refusesDuplicateIds() throws IOException {
        assertRefusedUnchanged("<configuration xmlns=\"" + CredentialsXml.NAMESPACE + "\">\n<environments>\n"
                + "<environment id=\"e\"/>\n<environment id=\"e\"/>\n</environments>\n</configuration>",
                ConfigFormatException.class, "line 4", "'e' is used twice");
        assertRefusedUnchanged("<configuration xmlns=\"" + CredentialsXml.NAMESPACE + "\">\n<environments>\n"
                + "<environment id=\"e\"><credentials>\n<credential id=\"c\" user=\"u\" password=\"a\"/>\n"
                + "<credential id=\"c\" user=\"u\" password=\"b\"/>\n</credentials></environment>\n</environments>\n"
                + "</configuration>", ConfigFormatException.class, "line 5", "'c' is used twice", "environment 'e'");
        assertRefusedUnchanged("<configuration xmlns=\"" + CredentialsXml.NAMESPACE + "\"><environments>"
                + "<environment id=\"e\"><credentials><credential id=\"c\" user=\"u\"/></credentials></environment>"
                + "</environments></configuration>", ConfigFormatException.class, "the attribute password");
        assertThat(master).doesNotExist();
    }

    @Test
    void aWrongMasterPasswordStopsTheLoadNamingTheCredentialAndChangesNothing() throws IOException {
        seed("seed-encrypted.xml");
        String mixed = Files.readString(credentials).replace("user=\"vagrant\" id=\"ssh-node2\"",
                "user=\"vagrant\" id=\"ssh-node3\"/>\n        <credential password=\"clear\" user=\"x\" id=\"ssh-node2\"");
        Files.writeString(credentials, mixed);
        masterPassword("g5f7j89l-e3fr-5678-r6h8-5c8070d8d773");
        byte[] before = Files.readAllBytes(credentials);
        assertThatThrownBy(this::open).isInstanceOf(CofferException.class)
                .hasMessageContaining("'weblogic-edit-jmx'").hasMessageContaining("'linux-default'")
                .hasMessageContaining(master.toString()).hasMessageNotContaining("g5f7j89l");
        assertThat(Files.readAllBytes(credentials)).as("never encrypted again as clear text").isEqualTo(before);
    }

    /** The seed with ssh-node2's value replaced; ssh-node1 keeps the one they shared. */
    private void seedWithSshNode2(String stored) throws IOException {
        seed("seed-encrypted.xml");
        masterPassword(SEED_MASTER);
        String content = Files.readString(credentials);
        String node2 = "password=\"encrypted:VX1mne9VBLY=\" user=\"vagrant\" id=\"ssh-node2\"";
        assertThat(content).contains(node2);
        Files.writeString(credentials, content.replace(node2, "password=\"" + stored + "\" user=\"vagrant\" id=\"ssh-node2\""));
    }

    @Test
    void aDamagedValueFailsItsFirstUseNamingTheFileAndTheCredentialAndChangesNothing() throws IOException {
        // well-formed ciphertext of 8 bytes that no scheme decrypts under the seed's master password to text
        String damaged = "encrypted:" + java.util.Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThat(new JasyptCipher(SEED_MASTER.toCharArray()).decrypt(damaged.substring(10))).isEmpty();
        seedWithSshNode2(damaged);
        byte[] before = Files.readAllBytes(credentials);
        XmlCredentialRepository repository = open();
        assertThat(password(repository, INFRA, "ssh-node1")).isEqualTo("vagrant");
        assertThat(repository.environment(INFRA).get().users()).containsEntry("ssh-node2", "vagrant");
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> repository.get(INFRA, "ssh-node2")).isInstanceOf(CofferException.class)
                    .hasMessageContaining(credentials.toString()).hasMessageContaining("'ssh-node2'")
                    .hasMessageContaining("'" + INFRA + "'").hasMessageContaining("does not decrypt")
                    .hasMessageNotContaining("AQIDBAUGBwg=").hasMessageNotContaining(SEED_MASTER);
        }
        assertThat(Files.readAllBytes(credentials)).as("never encrypted again as clear text").isEqualTo(before);

        repository.create(INFRA, "added", "u", Secret.of("added"));
        assertThat(Files.readString(credentials)).as("a change keeps the damaged value as it is").contains(damaged);
        assertThatThrownBy(() -> open().get(INFRA, "ssh-node2")).hasMessageContaining("'ssh-node2'");
        assertThatThrownBy(repository::rekey).as("a rekey re-encrypts every value or none")
                .hasMessageContaining("'ssh-node2'").hasMessageContaining(credentials.toString());
        assertThat(Files.readString(master)).isEqualTo(SEED_MASTER);
        assertThat(password(open(), INFRA, "added")).isEqualTo("added");
    }

    @ParameterizedTest
    @ValueSource(strings = {"encrypted:", "encrypted:VX1mne9VBL*=", "encrypted:VX1mne9V", "encrypted:not base64!"})
    void aValueThatCannotBeCiphertextStopsTheLoadNamingTheFileAndTheCredential(String stored) throws IOException {
        seedWithSshNode2(stored);
        byte[] before = Files.readAllBytes(credentials);
        assertThatThrownBy(this::open).isInstanceOf(CofferException.class).hasMessageContaining(credentials.toString())
                .hasMessageContaining("'ssh-node2'").hasMessageContaining("'" + INFRA + "'").hasMessageContaining("damaged");
        assertThat(Files.readAllBytes(credentials)).isEqualTo(before);
    }

    @Test
    void aMissingMasterPasswordBesideCiphertextIsAnErrorAndNoneIsCreated() throws IOException {
        seed("seed-encrypted.xml");
        byte[] before = Files.readAllBytes(credentials);
        assertThatThrownBy(this::open).isInstanceOf(CofferException.class)
                .hasMessageContaining(master.toString()).hasMessageContaining("does not exist");
        assertThat(master).doesNotExist();
        assertThat(Files.readAllBytes(credentials)).isEqualTo(before);
    }

    /**
     * A control character, which a character reference puts in an attribute, would be
     * encrypted into a value no load can tell from a wrong key's output: the clear text
     * would be lost. Such a file is refused as it is, naming the credential and its line.
     */
    @Test
    void aClearTextPasswordWithAControlCharacterIsRefusedAndTheFileKeptAsItIs() throws IOException {
        for (String control : List.of("&#9;", "&#x7f;", "\u007f", "\u0085")) {
            seedWithSshNode2("Zq7canary" + control + "Xw");
            byte[] before = Files.readAllBytes(credentials);
            assertThatThrownBy(this::open).isInstanceOf(ConfigFormatException.class)
                    .hasMessageContaining(credentials + ", line 12").hasMessageContaining("'ssh-node2'")
                    .hasMessageContaining("control characters").hasMessageNotContaining("Zq7canary");
            assertThat(Files.readAllBytes(credentials)).as(control).isEqualTo(before);
        }
    }

    @Test
    void aReadOnlyFileWithClearTextIsAnErrorAndStaysAsItIs() throws IOException {
        seed("seed-clear.xml");
        masterPassword(SEED_MASTER);
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("r--------"));
        byte[] before = Files.readAllBytes(credentials);
        assertThatThrownBy(this::open).isInstanceOf(CofferException.class).hasMessageContaining("read-only")
                .hasMessageContaining(credentials.toString()).hasMessageNotContaining("WebLogic99");
        assertThat(Files.readAllBytes(credentials)).isEqualTo(before);

        seed("seed-encrypted.xml");
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("r--------"));
        byte[] encrypted = Files.readAllBytes(credentials);
        XmlCredentialRepository repository = open();
        assertThatThrownBy(() -> repository.delete(INFRA, "ssh-node1")).hasMessageContaining("read-only");
        assertThat(Files.readAllBytes(credentials)).isEqualTo(encrypted);
        assertThat(repository.contains(INFRA, "ssh-node1")).isTrue();
    }

    @Test
    void environmentsAndCredentialsChangeAndAreSavedAtOnce() throws IOException {
        seed("seed-clear.xml");
        XmlCredentialRepository repository = open();
        repository.createEnvironment("staging", "Staging hosts");
        assertThatThrownBy(() -> repository.createEnvironment("staging", "")).isInstanceOf(IllegalArgumentException.class);
        repository.create("staging", "db", "admin", Secret.of("s3cret ✓"));
        assertThatThrownBy(() -> repository.create("staging", "db", "x", Secret.of("y")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> repository.create("nope", "db", "x", Secret.of("y")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
        assertThat(Files.readString(credentials)).doesNotContain("s3cret").contains("id=\"staging\"");

        XmlCredentialRepository other = open();
        assertThat(password(other, "staging", "db")).isEqualTo("s3cret ✓");
        repository.updateEnvironment("linux-default", "Renamed");
        assertThat(open().environment("linux-default").get().description()).isEqualTo("Renamed");
        assertThat(password(open(), "linux-default", "weblogic-edit-jmx")).as("kept its credentials").isEqualTo("WebLogic99");
        assertThat(Files.readString(credentials)).contains("<resources>");

        repository.update("staging", "db", "root", Secret.of("changed"));
        assertThat(open().get("staging", "db").get().username()).isEqualTo("root");
        assertThat(password(open(), "staging", "db")).isEqualTo("changed");
        assertThatThrownBy(() -> repository.update("staging", "nope", "u", Secret.of("p")))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(repository.delete("staging", "db")).isTrue();
        assertThat(repository.delete("staging", "db")).isFalse();
        assertThat(open().contains("staging", "db")).isFalse();
        assertThat(repository.deleteEnvironment("staging")).isTrue();
        assertThat(repository.deleteEnvironment("staging")).isFalse();
        assertThat(open().environments()).extracting(CredentialEnvironment::id).containsExactly("linux-default", INFRA);
    }

    @Test
    void changesStartAFileWhereThereIsNone() {
        XmlCredentialRepository repository = open();
        assertThat(repository.environments()).isEmpty();
        repository.createEnvironment("dev", "");
        repository.create("dev", "ssh", "me", Secret.of("pw"));
        assertThat(password(open(), "dev", "ssh")).isEqualTo("pw");
    }

    @Test
    void refreshReadsTheFileAgainButNotTheMasterPassword() throws IOException {
        seed("seed-encrypted.xml");
        masterPassword(SEED_MASTER);
        XmlCredentialRepository repository = open();
        masterPassword("changed on disk");
        Files.writeString(credentials, Files.readString(credentials).replace("encrypted:VX1mne9VBLY=\" user=\"vagrant\" id=\"ssh-node2\"",
                "new-clear\" user=\"vagrant\" id=\"ssh-node2\""));
        repository.refresh();
        assertThat(password(repository, INFRA, "ssh-node2")).isEqualTo("new-clear");
        assertThat(Files.readString(credentials)).doesNotContain("new-clear");
        masterPassword(SEED_MASTER);
        assertThat(password(open(), INFRA, "ssh-node2")).as("encrypted with the master password read at start")
                .isEqualTo("new-clear");
    }

    @Test
    void aRefreshThatFailsKeepsThePreviousState() throws IOException {
        seed("seed-encrypted.xml");
        masterPassword(SEED_MASTER);
        XmlCredentialRepository repository = open();
        Files.writeString(credentials, "<configuration");
        assertThatThrownBy(repository::refresh).isInstanceOf(ConfigFormatException.class);
        assertThat(password(repository, INFRA, "ssh-node1")).isEqualTo("vagrant");
    }

    @Test
    void theWatcherReloadsAChangedFile() throws IOException {
        seed("seed-encrypted.xml");
        masterPassword(SEED_MASTER);
        XmlCredentialRepository repository = open();
        Files.writeString(credentials, Files.readString(credentials).replace("id=\"ssh-node2\"", "id=\"ssh-node9\""));
        Files.setLastModifiedTime(credentials, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        repository.reloadIfChanged();
        assertThat(repository.contains(INFRA, "ssh-node9")).isTrue();
    }

    @Test
    void rekeyReEncryptsEverythingUnderANewMasterPassword() throws IOException {
        seed("seed-encrypted.xml");
        masterPassword(SEED_MASTER);
        XmlCredentialRepository repository = open();
        repository.rekey();
        assertThat(Files.readString(master)).doesNotContain(SEED_MASTER);
        assertThat(Files.readString(credentials)).doesNotContain("VX1mne9VBLY=");
        assertThat(password(repository, INFRA, "ssh-node1")).isEqualTo("vagrant");
        repository.create(INFRA, "after", "u", Secret.of("after rekey"));
        XmlCredentialRepository fresh = open();
        assertThat(password(fresh, "linux-default", "weblogic-edit-jmx")).isEqualTo("Weblogic99");
        assertThat(password(fresh, INFRA, "after")).isEqualTo("after rekey");
    }

    /** A master key that counts the password-based key derivations it is asked for. */
    static final class CountingKey implements MasterKey {
        final MasterKey key;
        final AtomicInteger decrypted = new AtomicInteger();
        final AtomicInteger encrypted = new AtomicInteger();

        CountingKey(MasterKey key) {
            this.key = key;
        }

        @Override
        public String source() {
            return key.source();
        }

        @Override
        public String encrypt(Secret value) {
            encrypted.incrementAndGet();
            return key.encrypt(value);
        }

        @Override
        public Secret decrypt(String ciphertext, String what) {
            decrypted.incrementAndGet();
            return key.decrypt(ciphertext, what);
        }

        @Override
        public void rekey(Function<ValueCipher, Map<Path, byte[]>> reencrypt) {
            key.rekey(reencrypt);
        }
    }

    private CountingKey countingKey() {
        return new CountingKey(new PasswordMasterKey(new MasterPasswordFile(master)));
    }

    @Test
    void eachStoredValueIsDecryptedOnceAtItsFirstUseAndNeitherLaterGetsNorChangesDecryptAgain() throws IOException {
        seed("seed-encrypted.xml");
        masterPassword(SEED_MASTER);
        CountingKey key = countingKey();
        XmlCredentialRepository repository = new XmlCredentialRepository(credentials, key);
        assertThat(key.decrypted).as("the load decrypts the first value only, to check the master password").hasValue(1);
        assertThat(password(repository, "linux-default", "weblogic-edit-jmx")).isEqualTo("Weblogic99");
        assertThat(key.decrypted).as("the value the load decrypted is kept sealed").hasValue(1);
        for (int i = 0; i < 100; i++) {
            assertThat(password(repository, INFRA, "ssh-node" + (1 + i % 2))).isEqualTo("vagrant");
        }
        assertThat(key.decrypted).as("ssh-node1 and ssh-node2 store the same value").hasValue(2);
        repository.create(INFRA, "added", "u", Secret.of("added value"));
        repository.update(INFRA, "ssh-node2", "root", Secret.of("changed"));
        repository.delete(INFRA, "ssh-node1");
        repository.createEnvironment("staging", "");
        assertThat(key.decrypted).as("what a change stores is sealed as it is stored").hasValue(2);
        assertThat(password(repository, INFRA, "added")).isEqualTo("added value");
        assertThat(repository.get(INFRA, "ssh-node2").get().username()).isEqualTo("root");
        assertThat(password(repository, INFRA, "ssh-node2")).isEqualTo("changed");
        assertThat(repository.contains(INFRA, "ssh-node1")).isFalse();
        assertThat(repository.environment("staging")).isPresent();

        open().create(INFRA, "by-another", "u", Secret.of("theirs"));
        repository.refresh();
        assertThat(key.decrypted).as("a reload of values it has decrypted decrypts nothing").hasValue(2);
        assertThat(password(repository, INFRA, "by-another")).isEqualTo("theirs");
        assertThat(password(repository, "linux-default", "weblogic-edit-jmx")).isEqualTo("Weblogic99");
        assertThat(key.decrypted).as("the new value, at its first use").hasValue(3);
    }

    @Test
    void clearTextIsEncryptedOnceAndTheSavedFileIsNotDecryptedAgain() throws IOException {
        seed("seed-clear.xml");
        CountingKey key = countingKey();
        XmlCredentialRepository repository = new XmlCredentialRepository(credentials, key);
        assertThat(key.encrypted).hasValue(3);
        assertThat(key.decrypted).hasValue(0);
        assertThat(password(repository, INFRA, "ssh-node2")).isEqualTo("vagrant");
        repository.rekey();
        assertThat(key.decrypted).as("a rekey seals the values it stores").hasValue(0);
        assertThat(password(repository, "linux-default", "weblogic-edit-jmx")).isEqualTo("WebLogic99");
        assertThat(password(open(), "linux-default", "weblogic-edit-jmx")).isEqualTo("WebLogic99");
    }

    /**
     * {@code count} distinct {@code PBEWITHHMACSHA512ANDAES_256} values of {@code password-<i>}, laid out as Jasypt
     * writes them (salt, IV, AES-256-CBC ciphertext, base64) under a key derived from the master password with
     * PBKDF2-HMAC-SHA512 and 1,000 iterations. They share one salt, so that one key derivation makes them all: a
     * file like Coffer's own in a fraction of a second instead of a minute.
     */
    static List<String> aesValues(String master, int count) throws GeneralSecurityException {
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                .generateSecret(new PBEKeySpec(master.toCharArray(), salt, 1000, 256)).getEncoded();
        SecretKeySpec aes = new SecretKeySpec(derived, "AES");
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] iv = new byte[16];
            random.nextBytes(iv);
            cipher.init(Cipher.ENCRYPT_MODE, aes, new IvParameterSpec(iv));
            byte[] encrypted = cipher.doFinal(("password-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] stored = new byte[salt.length + iv.length + encrypted.length];
            System.arraycopy(salt, 0, stored, 0, salt.length);
            System.arraycopy(iv, 0, stored, salt.length, iv.length);
            System.arraycopy(encrypted, 0, stored, salt.length + iv.length, encrypted.length);
            values.add(Base64.getEncoder().encodeToString(stored));
        }
        return values;
    }

    /** Environments {@code env-<e>} of {@code perEnvironment} credentials {@code cred-<c>}, user {@code user-<i>}. */
    static String largeFile(List<String> values, int perEnvironment) {
        StringBuilder xml = new StringBuilder(CredentialsXml.DECLARATION + "<configuration xmlns=\""
                + CredentialsXml.NAMESPACE + "\">\n  <environments>\n");
        for (int i = 0; i < values.size(); i++) {
            if (i % perEnvironment == 0) {
                xml.append("    <environment id=\"env-").append(i / perEnvironment).append("\">\n      <credentials>\n");
            }
            xml.append("        <credential id=\"cred-").append(i % perEnvironment).append("\" user=\"user-").append(i)
                    .append("\" password=\"encrypted:").append(values.get(i)).append("\"/>\n");
            if (i % perEnvironment == perEnvironment - 1 || i == values.size() - 1) {
                xml.append("      </credentials>\n    </environment>\n");
            }
        }
        return xml.append("  </environments>\n</configuration>\n").toString();
    }

    @Test
    void aFileOf100000CredentialsLoadsDecryptingOneValueAndLaterGetsDeriveNoKey() throws Exception {
        masterPassword(SEED_MASTER);
        List<String> values = aesValues(SEED_MASTER, 100_000);
        assertThat(new JasyptCipher(SEED_MASTER.toCharArray()).decrypt(values.get(99_999)).map(Secret::reveal))
                .as("Jasypt's values").contains("password-99999");
        Files.writeString(credentials, largeFile(values, 100));
        byte[] before = Files.readAllBytes(credentials);
        CountingKey key = countingKey();

        XmlCredentialRepository repository = new XmlCredentialRepository(credentials, key);
        assertThat(key.decrypted).as("one value decrypted at load, to check the master password").hasValue(1);
        assertThat(repository.environments()).hasSize(1000);
        assertThat(repository.environment("env-999").get().users()).hasSize(100).containsEntry("cred-99", "user-99999");

        assertThat(password(repository, "env-567", "cred-89")).isEqualTo("password-56789");
        assertThat(key.decrypted).as("a first get decrypts its value").hasValue(2);
        for (int i = 0; i < 10_000; i++) {
            assertThat(password(repository, "env-567", "cred-89")).isEqualTo("password-56789");
        }
        assertThat(key.decrypted).as("later gets open the in-memory seal").hasValue(2);
        assertThat(password(repository, "env-0", "cred-0")).isEqualTo("password-0");
        assertThat(Files.readAllBytes(credentials)).as("nothing to encrypt, nothing written").isEqualTo(before);
    }

    @Test
    void firstUsesInManyThreadsAtOnceEachGiveTheRightPasswordWhileTheFileChanges() throws Exception {
        masterPassword(SEED_MASTER);
        Files.writeString(credentials, largeFile(aesValues(SEED_MASTER, 200), 50));
        XmlCredentialRepository repository = open();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int offset = t * 37;
            threads.add(new Thread(() -> {
                for (int n = 0; n < 400; n++) {
                    int i = (offset + n) % 200;
                    try {
                        assertThat(password(repository, "env-" + i / 50, "cred-" + i % 50)).isEqualTo("password-" + i);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            }));
        }
        threads.add(new Thread(() -> {
            try {
                for (int n = 0; n < 5; n++) {
                    repository.create("env-0", "added-" + n, "u", Secret.of("added-" + n));
                    repository.refresh();
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }));
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
        assertThat(password(open(), "env-0", "added-4")).isEqualTo("added-4");
    }

    private Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RepositoryProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** The process dies right after each step; the next start must find files that decrypt. */
    @ParameterizedTest
    @EnumSource(MasterPasswordFile.Step.class)
    void rekeyKilledAtAnyStepLeavesFilesThatDecrypt(MasterPasswordFile.Step step) throws Exception {
        seed("seed-encrypted.xml");
        masterPassword(SEED_MASTER);
        Process process = start("rekey", credentials.toString(), master.toString(), step.name());
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isEqualTo(RepositoryProcess.HALTED);

        XmlCredentialRepository fresh = open();
        assertThat(password(fresh, "linux-default", "weblogic-edit-jmx")).isEqualTo("Weblogic99");
        assertThat(password(fresh, INFRA, "ssh-node1")).isEqualTo("vagrant");
        boolean committed = step.compareTo(MasterPasswordFile.Step.COMMITTED) >= 0;
        assertThat(Files.readString(master).contains(SEED_MASTER)).isEqualTo(!committed);
        fresh.rekey();
        assertThat(password(open(), INFRA, "ssh-node2")).isEqualTo("vagrant");
    }

    @Test
    void twoProcessesChangingTheFileAtOnceLoseNothing() throws Exception {
        seed("seed-clear.xml");
        open();
        Process first = start("add", credentials.toString(), master.toString(), INFRA, "15");
        Process second = start("add", credentials.toString(), master.toString(), INFRA, "15");
        String firstOut = new String(first.getInputStream().readAllBytes());
        String secondOut = new String(second.getInputStream().readAllBytes());
        assertThat(first.waitFor()).as(firstOut).isZero();
        assertThat(second.waitFor()).as(secondOut).isZero();
        XmlCredentialRepository repository = open();
        assertThat(repository.environment(INFRA).get().users()).hasSize(2 + 30);
        assertThat(password(repository, INFRA, first.pid() + "-14")).isEqualTo("password-14");
        assertThat(password(repository, INFRA, second.pid() + "-0")).isEqualTo("password-0");
    }

    @Test
    void nothingShowsAPassword() throws IOException {
        seed("seed-encrypted.xml");
        masterPassword(SEED_MASTER);
        XmlCredentialRepository repository = open();
        assertThat(repository.get("linux-default", "weblogic-edit-jmx").get().toString())
                .doesNotContain("Weblogic99").contains("weblogic").contains("****");
        assertThat(repository.environments().toString() + repository).doesNotContain("VX1mne9VBLY").doesNotContain(SEED_MASTER);
    }
}
