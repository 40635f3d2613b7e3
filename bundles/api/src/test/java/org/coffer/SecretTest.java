package org.coffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void neverShowsItsValue() {
        Secret secret = Secret.of("hunter2");
        assertThat(secret.toString()).doesNotContain("hunter2");
        assertThat(new Credential("alice", secret).toString()).doesNotContain("hunter2").contains("alice");
    }

    @Test
    void comparesByValue() {
        assertThat(Secret.of("abc")).isEqualTo(Secret.of("abc".toCharArray()));
        assertThat(Secret.of("abc")).isNotEqualTo(Secret.of("abd"));
        assertThat(Secret.of("abc")).isNotEqualTo(Secret.of("abcd"));
        assertThat(Secret.of("")).isEqualTo(Secret.of(""));
    }

    @Test
    void copiesItsInputAndItsOutput() {
        char[] input = "abc".toCharArray();
        Secret secret = Secret.of(input);
        input[0] = 'x';
        char[] out = secret.chars();
        out[1] = 'y';
        assertThat(secret.reveal()).isEqualTo("abc");
    }

    @Test
    void roundTripsUtf8() {
        byte[] utf8 = "pässwörd 🔑".getBytes(StandardCharsets.UTF_8);
        Secret secret = Secret.fromUtf8(utf8);
        assertThat(secret.reveal()).isEqualTo("pässwörd 🔑");
        assertThat(secret.utf8()).isEqualTo(utf8);
    }

    @Test
    void refusesBytesThatAreNotUtf8RatherThanReplacingThem() {
        byte[] latin1 = "pässwörd".getBytes(StandardCharsets.ISO_8859_1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Secret.fromUtf8(latin1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the stored value is not UTF-8 text");
    }

    @Test
    void cannotBeReadOnceDestroyed() {
        Secret secret = Secret.of("abc");
        secret.destroy();
        assertThat(secret.isDestroyed()).isTrue();
        assertThatThrownBy(secret::reveal).isInstanceOf(IllegalStateException.class);
        assertThat(secret.toString()).doesNotContain("abc");
    }
}
