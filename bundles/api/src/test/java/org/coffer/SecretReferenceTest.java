package org.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecretReferenceTest {

    @Test
    void keyringReferencesKeepAnyServiceAndUsername() {
        SecretReference reference = SecretReference.keyring("https://host/a b", "50%+ user]", 0, 1);
        assertThat(reference.toString()).isEqualTo("keyring:https:%2F%2Fhost%2Fa b/50%25+ user%5D");
        SecretReference parsed = SecretReference.parse(reference.toString());
        assertThat(parsed.keyringService()).isEqualTo("https://host/a b");
        assertThat(parsed.keyringUsername()).isEqualTo("50%+ user]");
    }

    @Test
    void refusesMalformedReferences() {
        assertThatThrownBy(() -> SecretReference.parse("no-scheme")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretReference.parse("keyring:service-only").keyringService())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyring:service/username");
        assertThatThrownBy(() -> SecretReference.parse("env:NAME").keyringUsername())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
