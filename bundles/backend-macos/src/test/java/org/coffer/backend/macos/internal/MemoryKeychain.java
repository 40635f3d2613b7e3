package org.coffer.backend.macos.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coffer.BackendException;

/**
 * The Keychain's behaviour for generic passwords where macOS cannot run: one item per
 * service and account, {@code SecItemAdd} refusing a duplicate ({@code
 * errSecDuplicateItem}), every read a copy.
 */
final class MemoryKeychain implements Keychain {

    private final Map<List<String>, byte[]> items = new HashMap<>();

    @Override
    public synchronized Optional<byte[]> find(String service, String account) {
        return Optional.ofNullable(items.get(List.of(service, account))).map(byte[]::clone);
    }

    @Override
    public synchronized void add(String service, String account, byte[] data) {
        if (items.putIfAbsent(List.of(service, account), data.clone()) != null) {
            throw new BackendException("The macOS Keychain refused SecItemAdd: OSStatus -25299");
        }
    }

    @Override
    public synchronized boolean delete(String service, String account) {
        return items.remove(List.of(service, account)) != null;
    }

    synchronized byte[] raw(String service, String account) {
        return items.get(List.of(service, account));
    }
}
