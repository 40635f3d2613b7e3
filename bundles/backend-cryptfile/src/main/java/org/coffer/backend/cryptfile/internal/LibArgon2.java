package org.coffer.backend.cryptfile.internal;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.security.ProviderException;

/** {@code argon2id_hash_raw} of libargon2, the Argon2 reference implementation, through JNA. */
final class LibArgon2 {

    /** {@code size_t} is a Java long: the library is bound only on 64-bit platforms. */
    interface Functions extends Library {
        int argon2id_hash_raw(int timeCost, int memoryKib, int parallelism, Memory password, long passwordLength,
                byte[] salt, long saltLength, byte[] hash, long hashLength);

        String argon2_error_message(int code);
    }

    private final Functions functions;

    private LibArgon2(Functions functions) {
        this.functions = functions;
    }

    /**
     * @return the bound library
     * @throws UnsatisfiedLinkError if it cannot be loaded, or the platform is not 64-bit
     */
    static LibArgon2 load() {
        if (Native.SIZE_T_SIZE != Long.BYTES) {
            throw new UnsatisfiedLinkError("size_t is " + Native.SIZE_T_SIZE + " bytes on this platform");
        }
        Functions functions;
        try {
            functions = Native.load("argon2", Functions.class);
        } catch (UnsatisfiedLinkError unversioned) {
            // Debian's runtime package has only the versioned name; the unversioned one comes with -dev
            functions = Native.load("libargon2.so.1", Functions.class);
        }
        return new LibArgon2(functions);
    }

    /**
     * @param password the encoded password, copied to native memory that is cleared afterwards
     * @param salt the salt
     * @return the key
     */
    byte[] derive(byte[] password, byte[] salt) {
        Memory secret = new Memory(Math.max(1, password.length));
        try {
            secret.write(0, password, 0, password.length);
            byte[] key = new byte[Argon2id.KEY_BYTES];
            int code = functions.argon2id_hash_raw(Argon2id.ITERATIONS, Argon2id.MEMORY_KIB, Argon2id.LANES, secret,
                    password.length, salt, salt.length, key, key.length);
            if (code != 0) {
                throw new ProviderException("libargon2 failed: " + functions.argon2_error_message(code));
            }
            return key;
        } finally {
            secret.clear();
        }
    }
}
