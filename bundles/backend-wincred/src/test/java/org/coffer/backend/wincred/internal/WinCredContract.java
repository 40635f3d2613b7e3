package org.coffer.backend.wincred.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.coffer.KeyringEntry;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;
import org.coffer.spi.KeyringBackendContract;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/**
 * The contract suite on Python's WinVaultKeyring layout, and the table of what Python's
 * keyring does there: a second user of a service, the compound target, delete of
 * either, a UTF-8 blob, the configured persistence. One suite for every credential
 * store: the stand-in with the Credential Manager's rules ({@link WinCredBackendTest}),
 * and the Win32 API itself ({@link WinCredWindowsTest}, in a Windows JVM).
 */
abstract class WinCredContract extends KeyringBackendContract {

    /** The services this suite and the contract suite write; a live store is cleared of them first. */
    private static final Pattern TEST_SERVICES =
            Pattern.compile("svc.*|example\\.com|one|two|race|shared|utf8|Zürich.*|no-such-service");

    protected CredentialStore store;
    private final List<String> warnings = new ArrayList<>();

    /** @return the store under test, as it is (a live one may hold the user's own credentials) */
    protected abstract CredentialStore openStore();

    @Override
    protected KeyringBackend newBackend() {
        store = openStore();
        for (StoredCredential each : store.enumerate()) {
            if (ours(each.target)) {
                store.delete(each.target);
            }
        }
        return new WinCredBackend(store, "wincred");
    }

    @Override
    protected int longestSecret() {
        return WinVaultLayout.MAX_BLOB / 2;
    }

    private static boolean ours(String target) {
        return TEST_SERVICES.matcher(target.substring(target.indexOf('@') + 1)).matches();
    }

    /** @return the user of every credential this suite wrote, by target */
    private Map<String, String> usersByTarget() {
        Map<String, String> users = new TreeMap<>();
        store.enumerate().stream().filter(c -> ours(c.target)).forEach(c -> users.put(c.target, c.username));
        return users;
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
        assertThat(usersByTarget()).isEqualTo(Map.of("svc", "alice"));
        backend.set("svc", "bob", Secret.of("b"));
        assertThat(usersByTarget()).isEqualTo(Map.of("svc", "bob", "alice@svc", "alice"));
        assertThat(value(backend.get("svc", "alice"))).isEqualTo("a");
        assertThat(value(backend.get("svc", "bob"))).isEqualTo("b");
        assertThat(backend.getCredential("svc", null).map(c -> c.username())).contains("bob");
        assertThat(backend.entries().stream().filter(e -> ours(e.service()))).containsExactlyInAnyOrder(new KeyringEntry("svc", "alice"),
                new KeyringEntry("svc", "bob"));
    }

    @Test
    void deletesWhicheverTargetHoldsTheUser() {
        backend.set("svc", "alice", Secret.of("a"));
        backend.set("svc", "bob", Secret.of("b"));
        assertThat(backend.delete("svc", "alice")).isTrue();
        assertThat(usersByTarget()).isEqualTo(Map.of("svc", "bob"));
        assertThat(backend.delete("svc", "alice")).isFalse();
        assertThat(backend.delete("svc", "bob")).isTrue();
        assertThat(usersByTarget()).isEmpty();
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
        assertThat(warnings).containsExactly("utf8");
        assertThat(value(backend.get("utf8", "dave"))).isEqualTo("pä");
        assertThat(backend.diagnose().toString()).contains("read as UTF-8").contains("utf8").doesNotContain("pä");
    }

    @Test
    void refusesASecretLongerThanWindowsHoldsAndKeepsTheOldOne() {
        backend.set("svc", "alice", Secret.of("a"));
        backend.set("svc", "bob", Secret.of("b".repeat(WinVaultLayout.MAX_BLOB / 2)));
        assertThatThrownBy(() -> backend.set("svc", "alice", Secret.of("c".repeat(WinVaultLayout.MAX_BLOB / 2 + 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 2560 bytes")
                .hasMessageNotContaining("ccc");
        assertThat(value(backend.get("svc", "alice"))).isEqualTo("a");
        assertThat(usersByTarget()).isEqualTo(Map.of("svc", "bob", "alice@svc", "alice"));
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
