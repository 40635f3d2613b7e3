package org.coffer.spi.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.coffer.CofferException;
import org.coffer.Secret;
import org.junit.jupiter.api.Test;

class MemorySealTest {

    @Test
    void opensWhatItSealedAndShowsNothing() {
        MemorySeal seal = new MemorySeal();
        SealedSecret sealed = seal.seal(Secret.of("Weblogic99 ✓"));
        assertThat(seal.open(sealed).reveal()).isEqualTo("Weblogic99 ✓");
        assertThat(new String(sealed.ciphertext, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("Weblogic");
        assertThat(sealed.toString()).doesNotContain("Weblogic");
    }

    @Test
    void anotherProcessKeyCannotOpenIt() {
        SealedSecret sealed = new MemorySeal().seal(Secret.of("x"));
        assertThatThrownBy(() -> new MemorySeal().open(sealed)).isInstanceOf(CofferException.class);
    }
}
