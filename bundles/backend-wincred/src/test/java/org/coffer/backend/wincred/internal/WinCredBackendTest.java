package org.coffer.backend.wincred.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.KeyringBackendContract;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/**
 * The contract suite on Python's WinVaultKeyring layout over the Credential Manager's
 * behaviour, and the table of what Python's keyring does: a second user of a service,
 * the compound target, delete of either, a UTF-8 blob.
 */
class WinCredBackendTest extends KeyringBackendContract {

    private MemoryCredentialStore store;
    private final List<String> warnings = new ArrayList<>();

    @Override
    protected KeyringBackend newBackend() {
        store = new MemoryCredentialStore();
        return new WinCredBackend(store, "wincred");
    }

    @Override
    protected KeyringBackend sameStore() {
        return new WinCredBackend(store, "wincred");
    }

    private WinVaultLayout layout() {
        return new WinVaultLayout(store, Persistence.ENTERPRISE, warnings::add);
    }

    @Test
    void aSecondUserMovesTheFirstToTheCompoundTargetAsPythonDoes() {
        backend.set("svc", "alice", Secret.of("a"));
        assertThat(store.usersByTarget()).isEqualTo(Map.of("svc", "alice"));
        backend.set("svc", "bob", Secret.of("b"));
        assertThat(store.usersByTarget()).isEqualTo(Map.of("svc", "bob", "alice@svc", "alice"));
        assertThat(value(backend.get("svc", "alice"))).isEqualTo("a");
        assertThat(value(backend.get("svc", "bob"))).isEqualTo("b");
        assertThat(backend.getCredential("svc", null).map(c -> c.username())).contains("bob");
        assertThat(backend.entries()).containsExactlyInAnyOrder(new KeyringEntry("svc", "alice"),
                new KeyringEntry("svc", "bob"));
    }

    @Test
    void deletesWhicheverTargetHoldsTheUser() {
        backend.set("svc", "alice", Secret.of("a"));
        backend.set("svc", "bob", Secret.of("b"));
        assertThat(backend.delete("svc", "alice")).isTrue();
        assertThat(store.usersByTarget()).isEqualTo(Map.of("svc", "bob"));
        assertThat(backend.delete("svc", "alice")).isFalse();
        assertThat(backend.delete("svc", "bob")).isTrue();
        assertThat(store.usersByTarget()).isEmpty();
    }

    @Test
    void writesUtf16WithPythonsCommentAndReadsUtf8WithAWarning() {
        backend.set("svc", "carol", Secret.of("pä🔑"));
        StoredCredential stored = store.read("svc").orElseThrow();
        assertThat(stored.blob).isEqualTo("pä🔑".getBytes(StandardCharsets.UTF_16LE));
        assertThat(stored.comment).isEqualTo("Stored using python-keyring");
        assertThat(stored.persist).as("CRED_PERSIST_ENTERPRISE, Python's default").isEqualTo(3);
        // three bytes cannot be UTF-16: read as UTF-8, as Python does (an even count reads as UTF-16 there too)
        store.write(new StoredCredential("utf8", "dave", "pä".getBytes(StandardCharsets.UTF_8), "", 2));
        assertThat(layout().get("utf8", "dave").map(Secret::reveal)).contains("pä");
        assertThat(warnings).singleElement().asString().contains("UTF-8");
    }

    @Test
    void aPlainTargetOfAnotherUserIsNotAnswer() {
        store.write(new StoredCredential("svc", "erin", "x".getBytes(StandardCharsets.UTF_16LE), "", 2));
        assertThat(backend.get("svc", "frank")).isEmpty();
        assertThat(value(backend.get("svc", "erin"))).isEqualTo("x");
    }

    @Test
    void writesTheConfiguredPersistenceOnBothTargets() {
        WinCredBackend local = new WinCredBackend(store, "wincred", Persistence.of(config("local machine").persist()));
        local.set("svc", "alice", Secret.of("a"));
        assertThat(store.read("svc").orElseThrow().persist).as("CRED_PERSIST_LOCAL_MACHINE").isEqualTo(2);
        WinCredBackend session = new WinCredBackend(store, "wincred", Persistence.of(config("Session").persist()));
        session.set("svc", "bob", Secret.of("b"));
        assertThat(store.read("svc").orElseThrow().persist).as("CRED_PERSIST_SESSION").isEqualTo(1);
        assertThat(store.read("alice@svc").orElseThrow().persist).as("the moved credential too").isEqualTo(1);
    }

    @Test
    void persistAcceptsPythonsSpellingsAndNamesTheAllowedValuesOtherwise() {
        assertThat(Persistence.of(config(null).persist())).isEqualTo(Persistence.ENTERPRISE);
        for (String spelling : List.of("local machine", "LOCAL_MACHINE", "localmachine", " Local Machine ")) {
            assertThat(Persistence.of(spelling)).as(spelling).isEqualTo(Persistence.LOCAL_MACHINE);
        }
        assertThat(Persistence.of("ENTERPRISE")).isEqualTo(Persistence.ENTERPRISE);
        assertThatThrownBy(() -> Persistence.of("roaming")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("persist = 'roaming'").hasMessageContaining("org.coffer.backend.wincred")
                .hasMessageContaining("enterprise, local machine, session");
    }

    private static WinCredConfig config(String persist) {
        Map<String, Object> properties = new java.util.HashMap<>();
        if (persist != null) {
            properties.put("persist", persist);
        }
        return Converters.standardConverter().convert(properties).to(WinCredConfig.class);
    }
}
