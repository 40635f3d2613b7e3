package org.coffer.backend.keyctl.internal;

import org.coffer.BackendException;

/** A call to the kernel's key retention service that failed, with its errno. */
final class KeyctlException extends BackendException {

    private static final long serialVersionUID = 1L;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EACCES = 13;
    static final int EINVAL = 22;
    static final int ENOSYS = 38;
    static final int EDQUOT = 122;
    static final int ENOKEY = 126;
    static final int EKEYEXPIRED = 127;
    static final int EKEYREVOKED = 128;

    final int errno;

    KeyctlException(String call, int errno) {
        super(call + " failed: " + reason(errno));
        this.errno = errno;
    }

    /** @return whether there is no such key: "not found", unlike an expired or revoked one ({@link #ended()}) */
    boolean absent() {
        return errno == ENOKEY || errno == ENOENT;
    }

    /** @return whether the key or keyring is there but expired or was revoked, as {@code keyctl} says */
    boolean ended() {
        return errno == EKEYEXPIRED || errno == EKEYREVOKED;
    }

    /** @return what happened to a key or keyring that {@link #ended()}: "has expired (EKEYEXPIRED)" */
    String ending() {
        return errno == EKEYEXPIRED ? "has expired (EKEYEXPIRED)" : "was revoked (EKEYREVOKED)";
    }

    /**
     * @return whether the failure is the keyring's own (missing, expired, revoked, its permissions), rather
     *         than this machine's (a container's seccomp profile, no key service, no persistent keyrings)
     */
    boolean concernsTheKeyring() {
        return absent() || ended() || errno == EACCES;
    }

    static String reason(int errno) {
        switch (errno) {
            case EPERM:
                return "EPERM, operation not permitted (a container's seccomp profile blocks the keyctl system"
                        + " calls, or the key's permissions refuse it)";
            case EACCES:
                return "EACCES, permission denied by the key's or keyring's permissions";
            case ENOSYS:
                return "ENOSYS, this kernel has no key retention service (or a container blocks it)";
            case EINVAL:
                return "EINVAL, the kernel refused the arguments";
            case EDQUOT:
                return "EDQUOT, the user's key quota is used up (/proc/sys/kernel/keys/maxkeys, maxbytes)";
            case ENOKEY:
                return "ENOKEY, no such key or keyring";
            case EKEYEXPIRED:
                return "EKEYEXPIRED, it has expired";
            case EKEYREVOKED:
                return "EKEYREVOKED, it was revoked";
            default:
                return "errno " + errno;
        }
    }
}
