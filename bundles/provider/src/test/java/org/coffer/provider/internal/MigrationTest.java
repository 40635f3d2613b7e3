package org.coffer.provider.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.coffer.BackendException;
import org.coffer.KeyringAdmin;
import org.coffer.Secret;
import org.coffer.spi.KeyringBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migration between real plaintext backends, each on its own file. */
class MigrationTest {

    @TempDir
    Path dir;

    private Migration migration;
    private KeyringBackend high;
    private KeyringBackend low;

    @BeforeEach
    void setUp() {
        BackendChain chain = new BackendChain();
        high = BackendChainTest.named("high", dir.resolve("high.cfg"));
        low = BackendChainTest.named("low", dir.resolve("low.cfg"));
        chain.add(low, BackendChainTest.props(50, 1L));
        chain.add(high, BackendChainTest.props(250, 2L));
        migration = new Migration(chain);
    }

    private static final KeyringAdmin.Progress NO_PROGRESS = (done, total) -> { };

    @Test
    void migratesEveryEntryVerifiesAndOnlyThenDeletes() {
        low.set("svc", "alice", Secret.of("a"));
        low.set("other svc", "bob", Secret.of("b ü"));
        List<String> progress = new ArrayList<>();
        assertThat(migration.run("low", "high", false, (done, total) -> progress.add(done + "/" + total))).hasSize(2);
        assertThat(progress).containsExactly("0/2", "1/2", "2/2");
        assertThat(high.get("other svc", "bob").map(Secret::reveal)).contains("b ü");
        assertThat(low.get("svc", "alice")).isPresent();
        migration.run("low", "high", true, NO_PROGRESS);
        assertThat(low.get("svc", "alice")).isEmpty();
        assertThat(high.get("svc", "alice").map(Secret::reveal)).contains("a");
        assertThatThrownBy(() -> migration.run("low", "low", false, NO_PROGRESS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> migration.run("low", "nope", false, NO_PROGRESS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsTheSourceWhenACopyFails() throws Exception {
        low.set("svc", "alice", Secret.of("a"));
        Files.writeString(dir.resolve("high.cfg"), "garbage\n");
        assertThatThrownBy(() -> migration.run("low", "high", true, NO_PROGRESS)).isInstanceOf(BackendException.class)
                .hasMessageContaining("nothing was deleted");
        assertThat(low.get("svc", "alice")).isPresent();
    }
}
