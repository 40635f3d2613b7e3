package org.coffer.backend.secretservice.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/** Which owners of org.freedesktop.secrets pass, and what the refusal tells a person. */
class OwnerCheckTest {

    static SecretServiceConfig config(Map<String, Object> properties) {
        return Converters.standardConverter().convert(properties).to(SecretServiceConfig.class);
    }

    @Test
    void trustsTheKnownKeyringsByDefaultAndNothingElse() {
        OwnerCheck check = OwnerCheck.of(config(Map.of()));
        assertThat(check.executables()).containsExactly("gnome-keyring-daemon", "keepassxc", "kwalletd5", "kwalletd6",
                "ksecretd").isEqualTo(OwnerCheck.DEFAULT.executables());
        for (String program : List.of("/usr/bin/gnome-keyring-daemon", "/app/bin/keepassxc", "/usr/bin/kwalletd6",
                "/usr/bin/ksecretd")) {
            assertThat(check.refusal(BusOwner.running(":1.4", Path.of(program)))).as(program).isEmpty();
        }
        assertThat(check.refusal(BusOwner.running(":1.9", Path.of("/usr/bin/python3.11")))).get(STRING)
                .contains(":1.9", "/usr/bin/python3.11", "python3.11 is not in the allow-list", "allowed.executables");
        // a program named like a keyring in its folder name only is not one
        assertThat(check.refusal(BusOwner.running(":1.9", Path.of("/tmp/gnome-keyring-daemon/evil")))).isPresent();
    }

    @Test
    void refusesAnOwnerWhoseProgramCannotBeToldUnlessAllowed() {
        BusOwner unknown = BusOwner.unidentified(":1.7", "cannot read /proc/77/exe (AccessDeniedException)");
        assertThat(OwnerCheck.DEFAULT.refusal(unknown)).get(STRING)
                .contains(":1.7", "cannot read /proc/77/exe", "allow.unidentified.owner=true");
        assertThat(OwnerCheck.of(config(Map.of("allow.unidentified.owner", "true"))).refusal(unknown)).isEmpty();
    }

    @Test
    void takesTheListInItsStringFormAndMatchesAFullPathExactly() {
        OwnerCheck check = OwnerCheck.of(config(Map.of("allowed.executables", "keepassxc, /opt/kr/bin/my-keyring")));
        assertThat(check.executables()).containsExactly("keepassxc", "/opt/kr/bin/my-keyring");
        assertThat(check.refusal(BusOwner.running(":1.2", Path.of("/opt/kr/bin/my-keyring")))).isEmpty();
        assertThat(check.refusal(BusOwner.running(":1.3", Path.of("/home/eve/bin/my-keyring")))).isPresent();
        assertThat(check.refusal(BusOwner.running(":1.4", Path.of("/usr/bin/gnome-keyring-daemon")))).isPresent();
    }
}
