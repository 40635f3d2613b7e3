package org.coffer.webconsole.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void acceptsOnlyThePasswordOfTheLaunchersSaltedForm() throws Exception {
        byte[] digest = ("0a1b2c3d" + "s3cret").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 1000; i++) {
            digest = MessageDigest.getInstance("SHA-256").digest(digest);
        }
        PasswordHash hash = PasswordHash.parse("{sha-256}0a1b2c3d-1000-" + Base64.getEncoder().encodeToString(digest));
        assertThat(hash.matches("s3cret".toCharArray())).isTrue();
        assertThat(hash.matches("s3cret ".toCharArray())).isFalse();
        assertThat(hash.matches("admin".toCharArray())).isFalse();
        assertThat(hash.matches(new char[0])).isFalse();
    }

    @Test
    void makesTheSaltedFormThatItChecks() {
        String made = PasswordHash.create("s3cret".toCharArray());
        assertThat(made).matches("\\{sha-256}[0-9a-f]{16}-1000-[A-Za-z0-9+/]{43}=").doesNotContain("s3cret");
        assertThat(PasswordHash.create("s3cret".toCharArray())).isNotEqualTo(made);
        assertThat(PasswordHash.parse(made).matches("s3cret".toCharArray())).isTrue();
        assertThat(PasswordHash.parse(made).matches("s3cre".toCharArray())).isFalse();
    }

    @Test
    void refusesAnotherFormWithoutRepeatingIt() {
        assertThatThrownBy(() -> PasswordHash.parse("admin")).hasMessageNotContaining("admin")
                .hasMessageContaining("{sha-256}SALT-ITERATIONS-BASE64");
        assertThatThrownBy(() -> PasswordHash.parse("{sha-256}x-y-z")).isInstanceOf(IllegalArgumentException.class);
    }
}
