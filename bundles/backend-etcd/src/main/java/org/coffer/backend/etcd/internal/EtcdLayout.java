package org.coffer.backend.etcd.internal;

/**
 * Where Coffer keeps its keys under the prefix: {@code PREFIX/v1/NAME} for entries,
 * {@code PREFIX/keys/ID} for the wrapped data keys, {@code PREFIX/current} for the id of
 * the data key new values are sealed with. One range from {@code PREFIX/} reads them all.
 */
final class EtcdLayout {

    final String prefix;
    final String entries;
    final String keys;
    final String current;

    EtcdLayout(String prefix) {
        String trimmed = prefix.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("The etcd prefix must not be empty or '/': Coffer owns every key under it");
        }
        this.prefix = trimmed + "/";
        this.entries = this.prefix + "v1/";
        this.keys = this.prefix + "keys/";
        this.current = this.prefix + "current";
    }

    /** @return the end of the range of every key under the prefix: the prefix with its last byte increased */
    byte[] rangeEnd() {
        byte[] end = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        end[end.length - 1]++;
        return end;
    }

    @Override
    public String toString() {
        return prefix;
    }
}
