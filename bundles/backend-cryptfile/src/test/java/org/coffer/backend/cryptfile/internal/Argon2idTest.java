package org.coffer.backend.cryptfile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.coffer.test.Peers;
import org.junit.jupiter.api.Test;

class Argon2idTest {

    /** argon2-cffi's {@code hash_secret_raw(b"master password", bytes(range(16)), 15, 65536, 2, 16, Type.ID)}. */
    private static final String PYTHON_KEY = "ce040539b2ab22237df9d062479f8380";

    private static final byte[] PASSWORD = "master password".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SALT = new byte[16];

    static {
        for (int i = 0; i < SALT.length; i++) {
            SALT[i] = (byte) i;
        }
    }

    @Test
    void bothImplementationsDeriveTheKeyPythonDerives() {
        Peers.require(Argon2id.implementation().startsWith("libargon2"),
                "libargon2 through JNA (apt-get install libargon2-1): " + Argon2id.implementation());
        assertThat(HexFormat.of().formatHex(Argon2id.derive(PASSWORD, SALT))).isEqualTo(PYTHON_KEY);
        assertThat(HexFormat.of().formatHex(Argon2id.javaDerive(PASSWORD, SALT))).isEqualTo(PYTHON_KEY);
    }

    @Test
    void anEmptyPasswordIsDerivedAlike() {
        assertThat(Argon2id.derive(new byte[0], SALT)).isEqualTo(Argon2id.javaDerive(new byte[0], SALT));
    }
}
