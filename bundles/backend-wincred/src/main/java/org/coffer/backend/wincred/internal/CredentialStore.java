package org.coffer.backend.wincred.internal;

import java.util.List;
import java.util.Optional;

/**
 * The four calls of the Windows Credential Manager the backend makes on generic
 * credentials ({@code CRED_TYPE_GENERIC}): the seam between Python's layout ({@link
 * WinVaultLayout}) and the native calls ({@link Advapi32Credentials}).
 */
interface CredentialStore {

    /** @return the credential of the target, or empty (ERROR_NOT_FOUND) */
    Optional<StoredCredential> read(String target);

    /** Creates or replaces the credential of its target. */
    void write(StoredCredential credential);

    /** @return whether there was a credential of the target to delete */
    boolean delete(String target);

    /** @return every generic credential of the user */
    List<StoredCredential> enumerate();
}
