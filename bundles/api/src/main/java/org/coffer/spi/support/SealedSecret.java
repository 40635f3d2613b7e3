package org.coffer.spi.support;

/**
 * A value encrypted in memory under the per-process key of a {@link MemorySeal}: what
 * Coffer holds between uses instead of the clear value. Immutable; shows nothing.
 */
public final class SealedSecret {

    final byte[] nonce;
    final byte[] ciphertext;

    SealedSecret(byte[] nonce, byte[] ciphertext) {
        this.nonce = nonce;
        this.ciphertext = ciphertext;
    }

    @Override
    public String toString() {
        return "SealedSecret[****]";
    }
}
