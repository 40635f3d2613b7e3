package org.coffer.backend.keyctl.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Keyctl} through JNA and libkeyutils ({@code libkeyutils.so.1}, Debian's
 * libkeyutils1), the library the {@code keyctl} command line uses.
 */
public final class LibKeyutils implements Keyctl {

    private static final String USER = "user";

    /** The functions of libkeyutils Coffer calls; {@code key_serial_t} is a 32-bit int. */
    interface Native32 extends Library {
        int add_key(String type, String description, byte[] payload, NativeLong length, int keyring);

        NativeLong keyctl_search(int keyring, String type, String description, int destination);

        int keyctl_read_alloc(int key, PointerByReference buffer);

        NativeLong keyctl_set_timeout(int key, int seconds);

        NativeLong keyctl_invalidate(int key);

        NativeLong keyctl_unlink(int key, int keyring);

        NativeLong keyctl_get_persistent(int uid, int destination);

        NativeLong keyctl_get_keyring_ID(int key, int create);

        int keyctl_describe_alloc(int key, PointerByReference buffer);
    }

    private final Native32 lib;

    private LibKeyutils(Native32 lib) {
        this.lib = lib;
    }

    /**
     * @return the library bound through JNA
     * @throws UnsatisfiedLinkError if libkeyutils or JNA's native part cannot be loaded
     */
    public static LibKeyutils load() {
        return new LibKeyutils(Native.load("keyutils", Native32.class));
    }

    private static int check(String call, long result) {
        if (result < 0) {
            throw new KeyctlException(call, Native.getLastError());
        }
        return (int) result;
    }

    @Override
    public int persistentKeyring(int destination) {
        return check("keyctl_get_persistent", lib.keyctl_get_persistent(-1, destination).longValue());
    }

    @Override
    public int resolve(int keyring) {
        return check("keyctl_get_keyring_ID(" + keyring + ")", lib.keyctl_get_keyring_ID(keyring, 0).longValue());
    }

    @Override
    public int add(int keyring, String description, byte[] payload) {
        return check("add_key", lib.add_key(USER, description, payload, new NativeLong(payload.length), keyring));
    }

    @Override
    public Optional<Integer> search(int keyring, String description) {
        long found = lib.keyctl_search(keyring, USER, description, 0).longValue();
        if (found < 0) {
            KeyctlException e = new KeyctlException("keyctl_search", Native.getLastError());
            if (e.absent()) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of((int) found);
    }

    @Override
    public byte[] read(int key) {
        PointerByReference buffer = new PointerByReference();
        int length = check("keyctl_read", lib.keyctl_read_alloc(key, buffer));
        Pointer memory = buffer.getValue();
        try {
            return memory.getByteArray(0, length);
        } finally {
            // the payload is a secret: no copy stays in the C heap
            memory.setMemory(0, length, (byte) 0);
            Native.free(Pointer.nativeValue(memory));
        }
    }

    @Override
    public void setTimeout(int key, int seconds) {
        check("keyctl_set_timeout", lib.keyctl_set_timeout(key, seconds).longValue());
    }

    @Override
    public void invalidate(int key) {
        check("keyctl_invalidate", lib.keyctl_invalidate(key).longValue());
    }

    @Override
    public void unlink(int key, int keyring) {
        check("keyctl_unlink", lib.keyctl_unlink(key, keyring).longValue());
    }

    @Override
    public List<Integer> links(int keyring) {
        PointerByReference buffer = new PointerByReference();
        int length = check("keyctl_read", lib.keyctl_read_alloc(keyring, buffer));
        Pointer memory = buffer.getValue();
        try {
            ByteBuffer serials = ByteBuffer.wrap(memory.getByteArray(0, length)).order(ByteOrder.nativeOrder());
            List<Integer> links = new ArrayList<>(length / 4);
            while (serials.remaining() >= 4) {
                links.add(serials.getInt());
            }
            return links;
        } finally {
            Native.free(Pointer.nativeValue(memory));
        }
    }

    @Override
    public String describe(int key) {
        PointerByReference buffer = new PointerByReference();
        int length = check("keyctl_describe", lib.keyctl_describe_alloc(key, buffer));
        Pointer memory = buffer.getValue();
        try {
            byte[] bytes = memory.getByteArray(0, length);
            int end = bytes.length > 0 && bytes[bytes.length - 1] == 0 ? bytes.length - 1 : bytes.length;
            return new String(bytes, 0, end, StandardCharsets.UTF_8);
        } finally {
            Native.free(Pointer.nativeValue(memory));
        }
    }

    @Override
    public int addKeyring(int keyring, String description) {
        return check("add_key(keyring)", lib.add_key("keyring", description, null, new NativeLong(0), keyring));
    }
}
