package org.coffer.backend.macos.internal;

import java.util.Optional;

/**
 * The calls on generic password items ({@code kSecClassGenericPassword}) of the macOS
 * Keychain the backend makes: the seam between Python's layout ({@link KeychainBackend})
 * and the Security framework ({@link SecurityFramework}).
 */
interface Keychain {

    /** {@code errSecItemNotFound} */
    int ITEM_NOT_FOUND = -25300;

    /** @return the data of the item of this service and account; the caller wipes it */
    Optional<byte[]> find(String service, String account);

    /** Adds an item; one of the same service and account must not exist. */
    void add(String service, String account, byte[] data);

    /** @return whether an item of this service and account was deleted */
    boolean delete(String service, String account);
}
