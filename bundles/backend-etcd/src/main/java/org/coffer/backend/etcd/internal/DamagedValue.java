package org.coffer.backend.etcd.internal;

/**
 * A value of etcd that cannot be trusted: it fails authentication, is sealed with a data
 * key this copy cannot use, or was rolled back. Kept with its bytes, so that it is opened
 * again when the data key it names arrives; its reason names the etcd key, never a value.
 */
final class DamagedValue {

    /** The id of the data key the value names, {@code null} when it is not in Coffer's format. */
    final String keyId;
    /** What is wrong with it, to follow "the value for ENTRY" or "the value". */
    final String reason;
    final byte[] stored;
    final long modRevision;

    DamagedValue(String keyId, String reason, byte[] stored, long modRevision) {
        this.keyId = keyId;
        this.reason = reason;
        this.stored = stored;
        this.modRevision = modRevision;
    }

    @Override
    public String toString() {
        return "DamagedValue[" + reason + "]";
    }
}
