package org.coffer.keyringfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cryptfile values' JSON, as strict as Python's json module on escapes. */
class FlatJsonTest {

    @Test
    void readsTheEscapesOfJson() {
        assertThat(FlatJson.parse("{\"a\": \"\\u00e4\\n\\\"\\/\"}")).isEqualTo(Map.of("a", "ä\n\"/"));
    }

    @Test
    void refusesASignedOrShortUnicodeEscapeAndUnknownEscapesWithoutQuotingTheInput() {
        for (String bad : new String[] {"\\u+041", "\\u-041", "\\uZZZZ", "\\u12", "\\q"}) {
            assertThatThrownBy(() -> FlatJson.parse("{\"a\": \"" + bad + "\"}")).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("expected ")
                    .hasMessageNotContaining("ZZZZ");
        }
    }
}
