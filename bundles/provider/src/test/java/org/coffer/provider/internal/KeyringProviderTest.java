package org.coffer.provider.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coffer.BackendInfo;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

class KeyringProviderTest {

    /** A backend that records what it was asked to store, and whether it may expire. */
    private static final class Recording implements KeyringBackend {
        final String name;
        final boolean expires;
        final List<String> writes = new ArrayList<>();

        Recording(String name, boolean expires) {
            this.name = name;
            this.expires = expires;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Optional<Secret> get(String service, String username) {
            return Optional.empty();
        }

        @Override
        public void set(String service, String username, Secret secret) {
            writes.add(service + "/" + username);
        }

        @Override
        public void setExpiring(String service, String username, Secret secret, Duration lifetime) {
            if (!expires) {
                KeyringBackend.super.setExpiring(service, username, secret, lifetime);
            }
            writes.add(service + "/" + username + " for " + lifetime.getSeconds() + " s: " + secret.reveal());
        }

        @Override
        public boolean delete(String service, String username) {
            return false;
        }
    }

    private static KeyringProvider provider() {
        return new KeyringProvider(Converters.standardConverter().convert(Map.of()).to(ProviderConfig.class), null);
    }

    @Test
    void anEntryThatExpiresGoesToTheNamedBackendNotTheActiveOne() {
        KeyringProvider provider = provider();
        Recording top = new Recording("top", false);
        Recording kernel = new Recording("keyctl", true);
        provider.addBackend(top, Map.of("service.ranking", 250, "service.id", 1L));
        provider.addBackend(kernel, Map.of("service.ranking", 150, "service.id", 2L));
        provider.admin().setExpiring("keyctl", "coffer", "keyring-password", Secret.of("pw"), Duration.ofMinutes(15));
        assertThat(kernel.writes).containsExactly("coffer/keyring-password for 900 s: pw");
        assertThat(top.writes).isEmpty();
        assertThatThrownBy(() -> provider.admin().setExpiring("top", "s", "u", Secret.of("x"), Duration.ofSeconds(5)))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("top backend cannot");
        assertThatThrownBy(() -> provider.admin().setExpiring("keyctl", "s", "u", Secret.of("x"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("above zero");
        assertThatThrownBy(() -> provider.admin().setExpiring("none", "s", "u", Secret.of("x"), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'none'");
    }

    @Test
    void reportsTheEntryABackendReadsItsPasswordFrom() {
        KeyringProvider provider = provider();
        provider.addBackend(new Recording("cryptfile", false), Map.of("service.ranking", 250, "service.id", 1L,
                "password.service", "coffer", "password.username", "keyring-password"));
        provider.addBackend(new Recording("plaintext", false), Map.of("service.ranking", 50, "service.id", 2L,
                "password.service", "", "password.username", ""));
        Map<String, Optional<KeyringEntry>> entries = new java.util.HashMap<>();
        for (BackendInfo backend : provider.admin().backends()) {
            entries.put(backend.name(), backend.passwordEntry());
        }
        assertThat(entries).isEqualTo(Map.of("cryptfile", Optional.of(new KeyringEntry("coffer", "keyring-password")),
                "plaintext", Optional.empty()));
    }

    @Test
    void writesDeletesAndListsTheNamedBackendNotTheActiveOne() {
        KeyringProvider provider = provider();
        Recording top = new Recording("top", false);
        Recording lower = new Recording("lower", false);
        provider.addBackend(top, Map.of("service.ranking", 250, "service.id", 1L));
        provider.addBackend(lower, Map.of("service.ranking", 150, "service.id", 2L));
        provider.admin().set("lower", "db", "app", Secret.of("pw"));
        assertThat(lower.writes).containsExactly("db/app");
        assertThat(top.writes).isEmpty();
        assertThat(provider.admin().delete("lower", "db", "app")).isFalse();
        assertThatThrownBy(() -> provider.admin().entries("top")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'top' cannot list");
        assertThatThrownBy(() -> provider.admin().set("none", "db", "app", Secret.of("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'none'");
        assertThat(provider.admin().pinned()).isEmpty();
    }

    @Test
    void refusesABlankUsernameBeforeAnyBackendSeesIt() {
        KeyringProvider provider = provider();
        Recording top = new Recording("top", false);
        provider.addBackend(top, Map.of("service.ranking", 250, "service.id", 1L));
        for (Runnable call : List.<Runnable>of(() -> provider.keyrings().set("svc", "", Secret.of("x")),
                () -> provider.keyrings().get("svc", ""), () -> provider.keyrings().delete("svc", ""),
                () -> provider.admin().set("top", "svc", "", Secret.of("x")),
                () -> provider.admin().delete("top", "svc", ""))) {
            assertThatThrownBy(call::run).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("username must not be empty");
        }
        assertThat(top.writes).isEmpty();
    }
}
