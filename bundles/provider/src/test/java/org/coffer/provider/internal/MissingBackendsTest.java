package org.coffer.provider.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.coffer.BackendException;
import org.coffer.NoKeyringException;
import org.coffer.Secret;
import org.coffer.spi.BackendAbsence;
import org.coffer.spi.KeyringBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/**
 * A read that no backend answers while a backend that may hold the entry is away or
 * absent as configured: over real plaintext backends, each on its own file, with the
 * time a backend left told by a clock the test moves.
 */
class MissingBackendsTest {

    /** A clock the test sets; the chain reads it when a backend leaves and when a read ends. */
    private static final class TestClock extends Clock {
        volatile Instant now = Instant.parse("2026-12-07T12:00:00.400Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void pass(Duration duration) {
            now = now.plus(duration);
        }
    }

    private record Absence(String backend, String reason, boolean configured) implements BackendAbsence {
    }

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();
    private final List<BackendAbsence> absences = new ArrayList<>();
    private BackendChain chain;
    private KeyringBackend secretservice;
    private KeyringBackend plaintext;

    @BeforeEach
    void setUp() {
        chain = new BackendChain(clock);
        chain.missing().absencesFrom(() -> absences);
        secretservice = BackendChainTest.named("secretservice", dir.resolve("ss.cfg"));
        plaintext = BackendChainTest.named("plaintext", dir.resolve("plaintext.cfg"));
        chain.add(plaintext, BackendChainTest.props(50, 1L));
        chain.add(secretservice, BackendChainTest.props(500, 2L));
        plaintext.set("svc", "alice", Secret.of("low"));
    }

    @Test
    void theHighestBackendAwayIsUnavailableForReadsNoLowerBackendAnswersForThirtySeconds() {
        chain.leave(secretservice, () -> true);
        assertThat(chain.get("svc", "alice").map(Secret::reveal)).contains("low");
        clock.pass(Duration.ofSeconds(5));
        assertThatThrownBy(() -> chain.get("sssvc", "ssuser")).isInstanceOf(BackendException.class)
                .hasMessage("No password for 'ssuser' in 'sssvc' in plaintext, and it may be in a backend that cannot"
                        + " answer now: the keyring backend 'secretservice' is unavailable since 2026-12-07T12:00:00Z"
                        + " (5 s ago): it went away");
        assertThatThrownBy(() -> chain.getCredential("sssvc", null)).hasMessageStartingWith(
                "No credential of 'sssvc' in plaintext").hasMessageContaining("'secretservice' is unavailable");
        clock.pass(Duration.ofMillis(24_999));
        assertThatThrownBy(() -> chain.get("sssvc", "ssuser")).hasMessageContaining("(29 s ago)");
        clock.pass(Duration.ofMillis(1));
        assertThat(chain.get("sssvc", "ssuser")).isEmpty();
    }

    @Test
    void staysUnavailableAsLongAsItsWatcherPublishesItsAbsenceAndIsAskedAgainOnceBack() {
        chain.leave(secretservice, () -> true);
        absences.add(new Absence("secretservice", "org.freedesktop.secrets left the session bus", false));
        clock.pass(Duration.ofMinutes(10));
        assertThatThrownBy(() -> chain.get("sssvc", "ssuser")).hasMessageEndingWith("'secretservice' is unavailable"
                + " since 2026-12-07T12:00:00Z (600 s ago): org.freedesktop.secrets left the session bus");
        chain.add(secretservice, BackendChainTest.props(500, 3L));
        absences.clear();
        assertThat(chain.get("sssvc", "ssuser")).isEmpty();
        secretservice.set("sssvc", "ssuser", Secret.of("back"));
        assertThat(chain.get("sssvc", "ssuser").map(Secret::reveal)).contains("back");
        chain.leave(secretservice, () -> true);
        absences.add(new Absence("secretservice", "gone again", false));
        clock.pass(Duration.ofSeconds(31));
        absences.clear();
        assertThat(chain.get("sssvc", "ssuser")).as("neither recent nor awaited").isEmpty();
    }

    @Test
    void aBackendWhoseBundleWasStoppedIsGoneNotAway() {
        boolean[] started = {false};
        chain.leave(secretservice, () -> started[0]);
        absences.add(new Absence("secretservice", "the bundle's probe said so as it stopped", false));
        assertThat(chain.get("sssvc", "ssuser")).isEmpty();
    }

    @Test
    void aLowerBackendAwayChangesNoAnswerUnlessItIsPinned() {
        chain.leave(plaintext, () -> true);
        assertThat(chain.get("svc", "bob")).isEmpty();
        chain.add(plaintext, BackendChainTest.props(50, 3L));
        chain.pin("plaintext");
        chain.leave(plaintext, () -> true);
        assertThatThrownBy(() -> chain.get("svc", "bob")).hasMessageStartingWith("No password for 'bob' in 'svc' in"
                + " secretservice,").hasMessageContaining("'plaintext' is unavailable since");
    }

    @Test
    void theOnlyBackendAwayIsNamedBeforeWhatToInstall() {
        chain.remove(plaintext);
        chain.leave(secretservice, () -> true);
        assertThatThrownBy(() -> chain.get("svc", "alice")).isInstanceOf(NoKeyringException.class)
                .hasMessageStartingWith("The keyring backend 'secretservice' is unavailable since 2026-12-07T12:00:00Z"
                        + " (0 s ago): it went away. No keyring backend is available. Install a backend bundle");
        clock.pass(Duration.ofSeconds(30));
        assertThatThrownBy(() -> chain.get("svc", "alice")).hasMessage(BackendChain.NO_KEYRING);
    }

    @Test
    void aBackendAbsentAsConfiguredIsNamedWithItsReasonAndOneThisMachineCannotHaveIsNot() {
        absences.add(new Absence("wincred", "The Windows Credential Manager exists on Windows only", false));
        assertThat(chain.get("svc", "bob")).isEmpty();
        absences.add(new Absence("keyctl", "The configured keyring cannot be reached: the keyring 123 was revoked"
                + " (EKEYREVOKED)", true));
        assertThatThrownBy(() -> chain.get("svc", "bob")).isInstanceOf(BackendException.class)
                .hasMessage("No password for 'bob' in 'svc' in secretservice, plaintext, and it may be in a backend that"
                        + " cannot answer now: the keyring backend 'keyctl' is absent: The configured keyring cannot be"
                        + " reached: the keyring 123 was revoked (EKEYREVOKED)");
        assertThat(chain.get("svc", "alice").map(Secret::reveal)).as("a value found is the answer").contains("low");
    }

    @Test
    void theProviderMarksABackendWhoseServiceWentAway() {
        KeyringProvider provider = new KeyringProvider(Converters.standardConverter().convert(Map.of())
                .to(ProviderConfig.class), null);
        KeyringBackend high = BackendChainTest.named("secretservice", dir.resolve("p-ss.cfg"));
        provider.addBackend(BackendChainTest.named("plaintext", dir.resolve("plaintext.cfg")),
                Map.of("service.ranking", 50, "service.id", 10L));
        provider.addBackend(high, Map.of("service.ranking", 500, "service.id", 11L));
        assertThat(provider.keyrings().get("sssvc", "ssuser")).isEmpty();
        provider.removeBackend(high);
        assertThatThrownBy(() -> provider.keyrings().get("sssvc", "ssuser")).isInstanceOf(BackendException.class)
                .hasMessageContaining("'secretservice' is unavailable since").hasMessageContaining("it went away");
        assertThat(provider.keyrings().get("svc", "alice").map(Secret::reveal)).contains("low");
    }
}
