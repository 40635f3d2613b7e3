package org.coffer.crypto.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.coffer.Secret;
import org.jasypt.encryption.pbe.StandardPBEStringEncryptor;
import org.jasypt.exceptions.EncryptionOperationNotPossibleException;
import org.jasypt.iv.RandomIvGenerator;
import org.jasypt.salt.StringFixedSaltGenerator;
import org.junit.jupiter.api.Test;

class JasyptCipherTest {

    /** The master password of the example in Pineapple's documentation. */
    static final String SEED_MASTER = "7af93081-e89d-4005-8e23-5c8070d8d773";

    private static String reveal(Optional<Secret> secret) {
        return secret.map(Secret::reveal).orElse(null);
    }

    @Test
    void decryptsTheExampleOfPineapplesDocumentation() {
        JasyptCipher cipher = new JasyptCipher(SEED_MASTER.toCharArray());
        assertThat(reveal(cipher.decrypt("VX1mne9VBLY="))).isEqualTo("vagrant");
        assertThat(reveal(cipher.decrypt("cucfJyRm0QR6EaNH7A6GRg=="))).isEqualTo("Weblogic99");
        assertThat(reveal(cipher.decrypt(JasyptCipher.Scheme.PINEAPPLE_DES, "VX1mne9VBLY="))).isEqualTo("vagrant");
    }

    @Test
    void theExampleDoesNotDecryptWithTheOtherPasswordOfTheDocumentation() {
        JasyptCipher cipher = new JasyptCipher("g5f7j89l-e3fr-5678-r6h8-5c8070d8d773".toCharArray());
        assertThat(cipher.decrypt("VX1mne9VBLY=")).isEmpty();
        assertThat(cipher.decrypt("cucfJyRm0QR6EaNH7A6GRg==")).isEmpty();
    }

    private static StandardPBEStringEncryptor jasypt(String password, String algorithm) {
        StandardPBEStringEncryptor encryptor = new StandardPBEStringEncryptor();
        encryptor.setPassword(password);
        encryptor.setAlgorithm(algorithm);
        return encryptor;
    }

    @Test
    void decryptsWhatJasyptWritesWithEveryScheme() {
        JasyptCipher cipher = new JasyptCipher("master secret".toCharArray());
        for (String value : new String[] {"s3cret", "a", "pässwörd ✓ with spaces", "x".repeat(200)}) {
            StandardPBEStringEncryptor pineapple = jasypt("master secret", "PBEWithMD5AndDES");
            pineapple.setSaltGenerator(new StringFixedSaltGenerator(JasyptCipher.PINEAPPLE_SALT));
            StandardPBEStringEncryptor jasyptDefault = new StandardPBEStringEncryptor();
            jasyptDefault.setPassword("master secret");
            StandardPBEStringEncryptor aes = jasypt("master secret", "PBEWITHHMACSHA512ANDAES_256");
            aes.setIvGenerator(new RandomIvGenerator());

            assertThat(reveal(cipher.decrypt(pineapple.encrypt(value)))).isEqualTo(value);
            assertThat(reveal(cipher.decrypt(jasyptDefault.encrypt(value)))).isEqualTo(value);
            assertThat(reveal(cipher.decrypt(aes.encrypt(value)))).isEqualTo(value);
        }
    }

    @Test
    void writesWhatPlainJasyptReads() {
        JasyptCipher cipher = new JasyptCipher("master secret".toCharArray());
        StandardPBEStringEncryptor aes = jasypt("master secret", "PBEWITHHMACSHA512ANDAES_256");
        aes.setIvGenerator(new RandomIvGenerator());
        String value = "Weblogic99 ✓";
        String first = cipher.encrypt(Secret.of(value));
        String second = cipher.encrypt(Secret.of(value));
        assertThat(first).isNotEqualTo(second).doesNotContain(value);
        assertThat(aes.decrypt(first)).isEqualTo(value);
        assertThat(aes.decrypt(second)).isEqualTo(value);
    }

    @Test
    void legacySchemesRoundTripForMigrations() {
        JasyptCipher cipher = new JasyptCipher("master".toCharArray());
        for (JasyptCipher.Scheme scheme : JasyptCipher.Scheme.values()) {
            String stored = cipher.encrypt(Secret.of("vagrant"), scheme);
            assertThat(reveal(cipher.decrypt(scheme, stored))).as(scheme.name()).isEqualTo("vagrant");
            assertThat(reveal(cipher.decrypt(stored))).as(scheme.name()).isEqualTo("vagrant");
        }
    }

    /** Decryption takes a control character for a wrong key's output, so none is ever encrypted. */
    @Test
    void encryptsOnlyWhatDecryptsAgain() {
        JasyptCipher cipher = new JasyptCipher("master".toCharArray());
        for (String text : List.of("vagrant", "pass word", "é中\uD83D\uDE00", "\u00a0nbsp", "~")) {
            for (JasyptCipher.Scheme scheme : JasyptCipher.Scheme.values()) {
                assertThat(reveal(cipher.decrypt(cipher.encrypt(Secret.of(text), scheme)))).isEqualTo(text);
            }
        }
        for (String control : List.of("tab\t", "\u0000", "line\n", "del\u007f", "\u0085", "c1\u009f")) {
            assertThatThrownBy(() -> cipher.encrypt(Secret.of(control))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("control character").hasMessageNotContaining(control);
        }
    }

    /**
     * About one wrong key in 256 passes the DES padding check; Jasypt then returns
     * garbage. Coffer must report every wrong key as a failure.
     */
    @Test
    void wrongMasterPasswordsNeverYieldAValueEvenWhenThePaddingPasses() {
        int paddingPassed = 0;
        for (int i = 0; i < 3000; i++) {
            String wrong = "wrong-" + i;
            StandardPBEStringEncryptor pineapple = jasypt(wrong, "PBEWithMD5AndDES");
            pineapple.setSaltGenerator(new StringFixedSaltGenerator(JasyptCipher.PINEAPPLE_SALT));
            try {
                pineapple.decrypt("VX1mne9VBLY=");
                paddingPassed++;
            } catch (EncryptionOperationNotPossibleException expected) {
                // the usual outcome
            }
            assertThat(new JasyptCipher(wrong.toCharArray()).decrypt("VX1mne9VBLY=")).as(wrong).isEmpty();
        }
        assertThat(paddingPassed).as("wrong keys that Jasypt alone accepts").isPositive();
    }

    @Test
    void valuesThatAreNotCiphertextDoNotDecrypt() {
        JasyptCipher cipher = new JasyptCipher(SEED_MASTER.toCharArray());
        assertThat(cipher.decrypt("vagrant")).isEmpty();
        assertThat(cipher.decrypt("not base64 !")).isEmpty();
        assertThat(cipher.decrypt("")).isEmpty();
        assertThat(cipher.toString()).doesNotContain(SEED_MASTER);
    }
}
