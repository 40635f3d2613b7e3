package org.coffer.keyringfile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyringEscapeTest {

    @Test
    void escapesLikeKeyringsAlt() {
        assertThat(KeyringEscape.escape("keyring-setting")).isEqualTo("keyring_2Dsetting");
        assertThat(KeyringEscape.escape("password reference")).isEqualTo("password_20reference");
        assertThat(KeyringEscape.escape("Zürich")).isEqualTo("Z_C3_BCrich");
        assertThat(KeyringEscape.escape("a_b")).isEqualTo("a_5Fb");
    }

    @Test
    void unescapesUpperAndLowerCaseHex() {
        assertThat(KeyringEscape.unescape("keyring_2dsetting")).isEqualTo("keyring-setting");
        assertThat(KeyringEscape.unescape("Z_C3_BCrich")).isEqualTo("Zürich");
        assertThat(KeyringEscape.unescape(KeyringEscape.escape("ünï cødé 🔑 _x_"))).isEqualTo("ünï cødé 🔑 _x_");
    }
}
