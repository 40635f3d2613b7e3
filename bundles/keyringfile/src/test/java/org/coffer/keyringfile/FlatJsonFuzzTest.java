package org.coffer.keyringfile;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Any bytes as the JSON inside an encrypted keyring value, read as the cryptfile and
 * encryptedfile ciphers read it: fields that write and parse back the same, or an
 * {@link IllegalArgumentException}; so are the base64 fields.
 */
class FlatJsonFuzzTest {

    /** The fields keyrings.cryptfile and keyrings.alt's EncryptedKeyring write. */
    private static final List<String> BASE64_FIELDS =
            List.of("salt", "data", "mac", "nonce", "IV", "password_encrypted");

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] bytes) {
        Map<String, String> fields;
        try {
            fields = FlatJson.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException notFlatJson) {
            return;
        }
        assertThat(FlatJson.parse(FlatJson.write(fields))).containsExactlyEntriesOf(fields);
        for (String name : BASE64_FIELDS) {
            try {
                FlatJson.base64Field(fields, name);
            } catch (IllegalArgumentException missingOrNotBase64) {
                // documented
            }
        }
    }
}
