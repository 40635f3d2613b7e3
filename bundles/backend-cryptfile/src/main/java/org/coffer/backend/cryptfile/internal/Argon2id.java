package org.coffer.backend.cryptfile.internal;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id with keyrings.cryptfile's parameters (t=15, m=64 MiB, p=2, a 16-byte key).
 *
 * <p>The reference implementation, {@code libargon2.so.1} (Debian's libargon2-1, the
 * library Python's argon2-cffi uses), computes the two lanes on two threads in about a
 * fifth of the time Bouncy Castle's Java takes in a command's short-lived JVM (0.5 s
 * against 2.8 s here). It is used through JNA when both are present; otherwise Bouncy
 * Castle derives the same key.
 */
final class Argon2id {

    static final int ITERATIONS = 15;
    static final int MEMORY_KIB = 65536;
    static final int LANES = 2;
    static final int KEY_BYTES = 16;

    private Argon2id() {
    }

    /**
     * @param password the encoded password
     * @param salt the salt
     * @return the 16-byte key
     */
    static byte[] derive(byte[] password, byte[] salt) {
        LibArgon2 reference = Native.LIBRARY;
        return reference != null ? reference.derive(password, salt) : javaDerive(password, salt);
    }

    /** @return where keys are derived, for the diagnosis */
    static String implementation() {
        return Native.LIBRARY != null ? "libargon2 (native, through JNA)" : "Bouncy Castle (Java): " + Native.WHY_NOT;
    }

    static byte[] javaDerive(byte[] password, byte[] salt) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withIterations(ITERATIONS)
                .withMemoryAsKB(MEMORY_KIB)
                .withParallelism(LANES)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] key = new byte[KEY_BYTES];
        generator.generateBytes(password, key);
        return key;
    }

    /** The native library, bound on first use; absent when JNA or libargon2 is not there. */
    private static final class Native {
        static final LibArgon2 LIBRARY;
        static final String WHY_NOT;

        static {
            LibArgon2 library = null;
            String why = null;
            try {
                library = LibArgon2.load();
            } catch (LinkageError | RuntimeException e) {
                // NoClassDefFoundError without JNA's package, UnsatisfiedLinkError without the library
                why = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            LIBRARY = library;
            WHY_NOT = why;
        }
    }
}
