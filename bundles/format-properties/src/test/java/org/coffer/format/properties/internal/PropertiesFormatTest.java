package org.coffer.format.properties.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.coffer.CofferException;
import org.coffer.ConfigDocument;
import org.coffer.ConfigFormatException;
import org.coffer.ConfigValue;
import org.coffer.Secret;
import org.coffer.SecretReference;
import org.coffer.crypto.internal.MasterPasswordFile;
import org.coffer.crypto.internal.PasswordMasterKey;
import org.jasypt.encryption.pbe.StandardPBEStringEncryptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PropertiesFormatTest {

    @TempDir
    Path dir;

    private final PropertiesFormat format = new PropertiesFormat();

    @Test
    void acceptsPropertiesAndKarafConfigurations() {
        assertThat(format.accepts(Path.of("app.properties"))).isTrue();
        assertThat(format.accepts(Path.of("etc/org.example.db.cfg"))).isTrue();
        assertThat(format.accepts(Path.of("credentials.xml"))).isFalse();
        assertThat(format.accepts(Path.of("app.config"))).isFalse();
    }

    @Test
    void findsEncValuesAndResolvesThemWithTheMasterPassword() throws IOException {
        Path masterFile = dir.resolve("credentialprovider.password");
        Files.writeString(masterFile, "karaf master\n");
        StandardPBEStringEncryptor karaf = new StandardPBEStringEncryptor();
        karaf.setPassword("karaf master");
        PasswordMasterKey key = new PasswordMasterKey(new MasterPasswordFile(masterFile));
        String coffer = key.encrypt(Secret.of("from coffer"));
        Path file = dir.resolve("org.example.db.cfg");
        Files.writeString(file, "# database\n"
                + "url = jdbc:postgresql://db/app\n"
                + "password=ENC(" + karaf.encrypt("karaf value") + ")\n"
                + "! another comment\n"
                + "token : prefix-ENC(" + coffer + ")-suffix\n"
                + "multi = first \\\n    second\n"
                + "escaped\\ key = tab\\there \\u00e9\n");
        ConfigDocument document = format.read(file);
        assertThat(document.options("").keySet()).containsExactly("url", "password", "token", "multi", "escaped key");
        assertThat(document.options("").get("url").references()).isEmpty();
        assertThat(document.options("").get("multi").raw()).isEqualTo("first second");
        assertThat(document.options("").get("multi").line()).isEqualTo(6);
        assertThat(document.options("").get("escaped key").raw()).isEqualTo("tab\there é");

        ConfigValue password = document.options("").get("password");
        assertThat(password.line()).isEqualTo(3);
        SecretReference reference = password.references().get(0);
        assertThat(reference.scheme()).isEqualTo("enc");
        assertThat(key.decrypt(reference.path(), file + " line " + password.line()).reveal()).isEqualTo("karaf value");

        ConfigValue token = document.options("").get("token");
        SecretReference inner = token.references().get(0);
        assertThat(token.raw().substring(0, inner.start())).isEqualTo("prefix-");
        assertThat(token.raw().substring(inner.end())).isEqualTo("-suffix");
        assertThat(key.decrypt(inner.path(), "token").reveal()).isEqualTo("from coffer");
        assertThat(token.toString()).doesNotContain("from coffer");
    }

    @Test
    void anEncValueThatDoesNotDecryptIsAnError() throws IOException {
        Path masterFile = dir.resolve("credentialprovider.password");
        Files.writeString(masterFile, "right\n");
        StandardPBEStringEncryptor other = new StandardPBEStringEncryptor();
        other.setPassword("wrong");
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "password=ENC(" + other.encrypt("value") + ")\n");
        SecretReference reference = format.read(file).options("").get("password").references().get(0);
        PasswordMasterKey key = new PasswordMasterKey(new MasterPasswordFile(masterFile));
        assertThatThrownBy(() -> key.decrypt(reference.path(), "password in " + file))
                .isInstanceOf(CofferException.class).hasMessageContaining("password in " + file);
    }

    @Test
    void aBadEscapeIsReportedWithItsLine() throws IOException {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "a=1\nb=\\u12\n");
        assertThatThrownBy(() -> format.read(file)).isInstanceOf(ConfigFormatException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("line 2");
    }
}
