package org.coffer.backend.macos.internal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coffer.BackendException;

/**
 * {@link Keychain} through JNA on the Security framework ({@code SecItemAdd}, {@code
 * SecItemCopyMatching}, {@code SecItemDelete}) with CoreFoundation dictionaries, strings
 * and data, as Python keyring's macOS backend calls them through ctypes.
 */
final class SecurityFramework implements Keychain {

    private static final int SUCCESS = 0;
    private static final int UTF8 = 0x08000100;

    /** The CoreFoundation functions Coffer calls. */
    interface CoreFoundation extends Library {
        Pointer CFStringCreateWithBytes(Pointer allocator, byte[] bytes, NativeLong length, int encoding,
                boolean external);

        Pointer CFDataCreate(Pointer allocator, byte[] bytes, NativeLong length);

        NativeLong CFDataGetLength(Pointer data);

        Pointer CFDataGetBytePtr(Pointer data);

        Pointer CFDictionaryCreate(Pointer allocator, Pointer[] keys, Pointer[] values, NativeLong count,
                Pointer keyCallBacks, Pointer valueCallBacks);

        void CFRelease(Pointer object);
    }

    /** The Security functions Coffer calls. */
    interface Security extends Library {
        int SecItemAdd(Pointer attributes, PointerByReference result);

        int SecItemCopyMatching(Pointer query, PointerByReference result);

        int SecItemDelete(Pointer query);
    }

    private final CoreFoundation cf;
    private final Security security;
    private final NativeLibrary cfLibrary;
    private final NativeLibrary securityLibrary;

    private SecurityFramework() {
        cf = Native.load("CoreFoundation", CoreFoundation.class);
        security = Native.load("Security", Security.class);
        cfLibrary = NativeLibrary.getInstance("CoreFoundation");
        securityLibrary = NativeLibrary.getInstance("Security");
    }

    /** @return the binding; fails where there is no Security framework */
    static SecurityFramework load() {
        return new SecurityFramework();
    }

    /** @return the value of a global constant of the Security framework, such as {@code kSecClass} */
    private Pointer constant(String symbol) {
        return securityLibrary.getGlobalVariableAddress(symbol).getPointer(0);
    }

    /** The objects a query holds, released together. */
    private final class Query implements AutoCloseable {
        private final List<Pointer> keys = new ArrayList<>();
        private final List<Pointer> values = new ArrayList<>();
        private final List<Pointer> owned = new ArrayList<>();
        private Pointer dictionary;

        Query put(String key, Pointer value) {
            keys.add(constant(key));
            values.add(value);
            return this;
        }

        Query text(String key, String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            Pointer string = cf.CFStringCreateWithBytes(null, utf8, new NativeLong(utf8.length), UTF8, false);
            owned.add(string);
            return put(key, string);
        }

        Query data(String key, byte[] bytes) {
            Pointer data = cf.CFDataCreate(null, bytes, new NativeLong(bytes.length));
            owned.add(data);
            return put(key, data);
        }

        Query item(String service, String account) {
            return put("kSecClass", constant("kSecClassGenericPassword")).text("kSecAttrService", service)
                    .text("kSecAttrAccount", account);
        }

        Pointer build() {
            dictionary = cf.CFDictionaryCreate(null, keys.toArray(new Pointer[0]), values.toArray(new Pointer[0]),
                    new NativeLong(keys.size()), cfLibrary.getGlobalVariableAddress("kCFTypeDictionaryKeyCallBacks"),
                    cfLibrary.getGlobalVariableAddress("kCFTypeDictionaryValueCallBacks"));
            return dictionary;
        }

        @Override
        public void close() {
            if (dictionary != null) {
                cf.CFRelease(dictionary);
            }
            owned.forEach(cf::CFRelease);
        }
    }

    private static BackendException failure(String call, int status) {
        return new BackendException("The macOS Keychain refused " + call + ": OSStatus " + status);
    }

    @Override
    public Optional<byte[]> find(String service, String account) {
        try (Query query = new Query()) {
            query.item(service, account).put("kSecMatchLimit", constant("kSecMatchLimitOne"))
                    .put("kSecReturnData", cfLibrary.getGlobalVariableAddress("kCFBooleanTrue").getPointer(0));
            PointerByReference result = new PointerByReference();
            int status = security.SecItemCopyMatching(query.build(), result);
            if (status == ITEM_NOT_FOUND) {
                return Optional.empty();
            }
            if (status != SUCCESS) {
                throw failure("SecItemCopyMatching", status);
            }
            Pointer data = result.getValue();
            try {
                int length = (int) cf.CFDataGetLength(data).longValue();
                return Optional.of(cf.CFDataGetBytePtr(data).getByteArray(0, length));
            } finally {
                cf.CFRelease(data);
            }
        }
    }

    @Override
    public void add(String service, String account, byte[] data) {
        try (Query query = new Query()) {
            query.item(service, account).data("kSecValueData", data);
            int status = security.SecItemAdd(query.build(), null);
            if (status != SUCCESS) {
                throw failure("SecItemAdd", status);
            }
        }
    }

    @Override
    public boolean delete(String service, String account) {
        try (Query query = new Query()) {
            int status = security.SecItemDelete(query.item(service, account).build());
            if (status == ITEM_NOT_FOUND) {
                return false;
            }
            if (status != SUCCESS) {
                throw failure("SecItemDelete", status);
            }
            return true;
        }
    }
}
