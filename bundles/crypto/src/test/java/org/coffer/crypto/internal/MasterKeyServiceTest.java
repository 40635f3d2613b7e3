package org.coffer.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.coffer.CofferException;
import org.coffer.crypto.MasterKey;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

class MasterKeyServiceTest {

    private static MasterKeyConfig config(Map<String, Object> values) {
        return Converters.standardConverter().convert(values).to(MasterKeyConfig.class);
    }

    @Test
    void theFileComesFromConfigurationThenCofferThenPineappleThenHome() {
        Map<String, String> properties = new HashMap<>();
        properties.put("coffer.home", "/opt/coffer");
        assertThat(MasterKeyService.fileOf(config(Map.of()), properties::get, Map.of()))
                .isEqualTo(Path.of("/opt/coffer/conf/credentialprovider.password"));
        properties.put("pineapple.credentialprovider.password.file", "/p/pineapple.password");
        assertThat(MasterKeyService.fileOf(config(Map.of()), properties::get, Map.of())).isEqualTo(Path.of("/p/pineapple.password"));
        properties.put("coffer.credentialprovider.password.file", "/c/coffer.password");
        assertThat(MasterKeyService.fileOf(config(Map.of()), properties::get, Map.of())).isEqualTo(Path.of("/c/coffer.password"));
        assertThat(MasterKeyService.fileOf(config(Map.of("file", "/etc/master")), properties::get, Map.of()))
                .isEqualTo(Path.of("/etc/master"));
    }

    @Test
    void withoutCofferHomeTheFileIsKarafsEtcElseTheUsersStateFolder() {
        Map<String, String> properties = new HashMap<>();
        assertThat(MasterKeyService.fileOf(config(Map.of()), properties::get, Map.of("HOME", "/home/ann")))
                .isEqualTo(Path.of("/home/ann/.local/state/coffer/conf/credentialprovider.password"));
        assertThat(MasterKeyService.fileOf(config(Map.of()), properties::get, Map.of("COFFER_STATE", "/s")))
                .isEqualTo(Path.of("/s/conf/credentialprovider.password"));
        properties.put("karaf.etc", "/opt/karaf/etc");
        assertThat(MasterKeyService.fileOf(config(Map.of()), properties::get, Map.of("HOME", "/home/ann")))
                .isEqualTo(Path.of("/opt/karaf/etc/credentialprovider.password"));
    }

    @Test
    void theMasterPasswordMayComeFromTheEnvironment() {
        MasterKey key = MasterKeyService.keyOf(config(Map.of("source", "env")), name -> null,
                Map.of("COFFER_MASTER_PASSWORD", "7af93081-e89d-4005-8e23-5c8070d8d773"), () -> null);
        assertThat(key.decrypt("VX1mne9VBLY=", "x").reveal()).isEqualTo("vagrant");
        assertThat(key.source()).contains("COFFER_MASTER_PASSWORD");

        MasterKey missing = MasterKeyService.keyOf(config(Map.of("source", "env", "environment.variable", "NOPE")),
                name -> null, Map.of(), () -> null);
        assertThatThrownBy(() -> missing.decrypt("VX1mne9VBLY=", "x")).isInstanceOf(CofferException.class)
                .hasMessageContaining("NOPE");
    }

    @Test
    void aKeyringSourceNeedsTheProvider() {
        MasterKey key = MasterKeyService.keyOf(config(Map.of("source", "keyring")), name -> null, Map.of(), () -> null);
        assertThatThrownBy(() -> key.encrypt(org.coffer.Secret.of("x"))).isInstanceOf(CofferException.class)
                .hasMessageContaining("coffer/master-password");
        assertThatThrownBy(() -> key.rekey(cipher -> Map.of())).isInstanceOf(CofferException.class)
                .hasMessageContaining("master password file only");
    }

    @Test
    void aKeyringSourceTakesThePasswordTheProviderSuppliesFromItsEntryOnly() {
        SuppliedPassword supplied = new SuppliedPassword(new org.coffer.KeyringEntry("coffer", "master-password"));
        MasterKey key = MasterKeyService.keyOf(config(Map.of("source", "keyring")), name -> null, Map.of(),
                supplied::chars);
        supplied.take(new org.coffer.KeyringEntry("coffer", "other"), org.coffer.Secret.of("wrong"));
        assertThat(supplied.awaited()).isTrue();
        supplied.take(new org.coffer.KeyringEntry("coffer", "master-password"),
                org.coffer.Secret.of("7af93081-e89d-4005-8e23-5c8070d8d773"));
        assertThat(supplied.awaited()).isFalse();
        assertThat(key.decrypt("VX1mne9VBLY=", "x").reveal()).isEqualTo("vagrant");
    }

    @Test
    void anUnknownSourceIsRejected() {
        assertThatThrownBy(() -> MasterKeyService.keyOf(config(Map.of("source", "vault")), name -> null, Map.of(),
                () -> null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vault");
    }
}
