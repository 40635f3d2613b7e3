package org.coffer.credentials.xml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StoredPasswordTest {

    /** What the check stands for: the stripped text decoded by the JDK's basic decoder, or -1 where it refuses it. */
    private static int decoded(String text) {
        try {
            return Base64.getDecoder().decode(text.strip()).length;
        } catch (IllegalArgumentException refused) {
            return -1;
        }
    }

    @Test
    void theCheckOfAValueAgreesWithTheBase64Decoder() {
        String[] known = {"", " ", "A", "AA", "AAA", "AAAA", "AA==", "AAA=", "A===", "AA=", "AA=A", "AAAA=", "AAAA==",
            "====", "AB+/", "AB-_", " VX1mne9VBLY= ", "VX1mne9VBLY=\n", "VX1m ne9VBLY=", "cucfJyRm0QR6EaNH7A6GRg==",
            "cucfJyRm0QR6EaNH7A6GRg=", "cucfJyRm0QR6EaNH7A6GRg", "é", "AAAé"};
        for (String text : known) {
            assertThat(StoredPassword.decodedLength("encrypted:" + text, "encrypted:".length())).as(text)
                    .isEqualTo(decoded(text));
        }
        String alphabet = "AZaz09+/= \t-_é";
        Random random = new Random(28);
        for (int i = 0; i < 100_000; i++) {
            char[] text = new char[random.nextInt(14)];
            for (int c = 0; c < text.length; c++) {
                // mostly base64 characters, so that long valid values come up too
                text[c] = random.nextInt(4) > 0 ? "ABCxyz019+/".charAt(random.nextInt(11))
                        : alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String value = new String(text);
            assertThat(StoredPassword.decodedLength(value, 0)).as(value).isEqualTo(decoded(value));
        }
    }
}
