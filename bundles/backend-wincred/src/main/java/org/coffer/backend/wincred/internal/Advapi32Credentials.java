package org.coffer.backend.wincred.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import com.sun.jna.win32.StdCallLibrary;
import com.sun.jna.win32.W32APIOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coffer.BackendException;

/**
 * {@link CredentialStore} on the Windows Credential Manager: {@code CredReadW}, {@code
 * CredWriteW}, {@code CredDeleteW}, {@code CredEnumerateW} and {@code CredFree} of
 * advapi32.dll, mapped here (jna-platform has no mapping of them).
 */
final class Advapi32Credentials implements CredentialStore {

    static final int CRED_TYPE_GENERIC = 1;
    static final int ERROR_NOT_FOUND = 1168;

    /** The functions of advapi32.dll Coffer calls. */
    interface Advapi32 extends StdCallLibrary {
        boolean CredReadW(WString target, int type, int flags, PointerByReference credential);

        boolean CredWriteW(CredentialStructure credential, int flags);

        boolean CredDeleteW(WString target, int type, int flags);

        boolean CredEnumerateW(WString filter, int flags, IntByReference count, PointerByReference credentials);

        void CredFree(Pointer buffer);
    }

    private final Advapi32 lib;

    private Advapi32Credentials(Advapi32 lib) {
        this.lib = lib;
    }

    /** @return the binding; fails where there is no advapi32.dll */
    static Advapi32Credentials load() {
        return new Advapi32Credentials(Native.load("Advapi32", Advapi32.class, W32APIOptions.UNICODE_OPTIONS));
    }

    private static BackendException failure(String call) {
        return new BackendException("The Windows Credential Manager refused " + call + ": error "
                + Native.getLastError());
    }

    @Override
    public Optional<StoredCredential> read(String target) {
        PointerByReference found = new PointerByReference();
        if (!lib.CredReadW(new WString(target), CRED_TYPE_GENERIC, 0, found)) {
            if (Native.getLastError() == ERROR_NOT_FOUND) {
                return Optional.empty();
            }
            throw failure("CredReadW(" + target + ")");
        }
        try {
            return Optional.of(copy(new CredentialStructure(found.getValue())));
        } finally {
            lib.CredFree(found.getValue());
        }
    }

    @Override
    public void write(StoredCredential credential) {
        CredentialStructure native1 = new CredentialStructure();
        native1.Type = CRED_TYPE_GENERIC;
        native1.TargetName = new WString(credential.target);
        native1.UserName = new WString(credential.username);
        native1.Comment = new WString(credential.comment);
        native1.Persist = credential.persist;
        Memory blob = new Memory(Math.max(1, credential.blob.length));
        try {
            blob.write(0, credential.blob, 0, credential.blob.length);
            native1.CredentialBlob = blob;
            native1.CredentialBlobSize = credential.blob.length;
            if (!lib.CredWriteW(native1, 0)) {
                throw failure("CredWriteW(" + credential.target + ")");
            }
        } finally {
            blob.clear();
        }
    }

    @Override
    public boolean delete(String target) {
        if (lib.CredDeleteW(new WString(target), CRED_TYPE_GENERIC, 0)) {
            return true;
        }
        if (Native.getLastError() == ERROR_NOT_FOUND) {
            return false;
        }
        throw failure("CredDeleteW(" + target + ")");
    }

    @Override
    public List<StoredCredential> enumerate() {
        IntByReference count = new IntByReference();
        PointerByReference array = new PointerByReference();
        if (!lib.CredEnumerateW(null, 0, count, array)) {
            if (Native.getLastError() == ERROR_NOT_FOUND) {
                return List.of();
            }
            throw failure("CredEnumerateW");
        }
        try {
            List<StoredCredential> all = new ArrayList<>();
            for (Pointer each : array.getValue().getPointerArray(0, count.getValue())) {
                CredentialStructure credential = new CredentialStructure(each);
                if (credential.Type == CRED_TYPE_GENERIC) {
                    all.add(copy(credential));
                }
            }
            return all;
        } finally {
            lib.CredFree(array.getValue());
        }
    }

    private static StoredCredential copy(CredentialStructure c) {
        byte[] blob = c.CredentialBlobSize == 0 || c.CredentialBlob == null ? new byte[0]
                : c.CredentialBlob.getByteArray(0, c.CredentialBlobSize);
        try {
            return new StoredCredential(String.valueOf(c.TargetName), c.UserName == null ? "" : c.UserName.toString(),
                    blob, c.Comment == null ? "" : c.Comment.toString(), c.Persist);
        } finally {
            java.util.Arrays.fill(blob, (byte) 0);
        }
    }
}
