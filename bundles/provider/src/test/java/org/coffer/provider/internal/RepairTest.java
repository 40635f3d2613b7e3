package org.coffer.provider.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.coffer.IntegrityException;
import org.coffer.Secret;
import org.coffer.backend.plaintext.internal.PlaintextBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/** keyring:repair's way through the provider: a torn file stops reads until the administrator rebuilds it. */
class RepairTest {

    @TempDir
    Path dir;

    @Test
    void aTornFileStopsTheReadAndTheChainUntilRepairRebuildsIt() throws Exception {
        Path file = dir.resolve("keyring_pass.cfg");
        Path lower = dir.resolve("lower.cfg");
        KeyringProvider provider = KeyringProvider.alone(
                Converters.standardConverter().convert(Map.of()).to(ProviderConfig.class));
        provider.addBackend(new PlaintextBackend(file), Map.of("service.ranking", 50, "service.id", 1L));
        provider.addBackend(BackendChainTest.named("lower", lower), Map.of("service.ranking", 10, "service.id", 2L));
        provider.admin().set("plaintext", "svc2", "alice", Secret.of("second"));
        provider.admin().set("plaintext", "svc2", "carol", Secret.of("third"));
        provider.admin().set("lower", "svc2", "carol", Secret.of("stale"));
        String text = Files.readString(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(text.indexOf("carol =") + "carol =".length());
        }
        assertThatThrownBy(() -> provider.keyrings().get("svc2", "carol"))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("keyring:repair plaintext");
        assertThatThrownBy(() -> provider.keyrings().set("svc2", "dave", Secret.of("x")))
                .isInstanceOf(IntegrityException.class);

        String report = provider.admin().repair("plaintext");

        assertThat(report).contains(file + ".damaged-").contains("'carol' in 'svc2'");
        assertThat(provider.keyrings().get("svc2", "alice").map(Secret::reveal)).contains("second");
        assertThatThrownBy(() -> provider.admin().repair("lower")).isInstanceOf(UnsupportedOperationException.class);
    }
}
