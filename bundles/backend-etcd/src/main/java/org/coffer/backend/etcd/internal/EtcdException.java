package org.coffer.backend.etcd.internal;

import org.coffer.BackendException;

/**
 * A call to etcd that failed: its message names the endpoints and what etcd or the
 * network said, never a value. {@link #unreachable()} tells a cluster that did not
 * answer (every endpoint refused, or the timeout passed) from one that answered no.
 */
final class EtcdException extends BackendException {

    private static final long serialVersionUID = 1L;

    private final boolean unreachable;
    private final int code;

    EtcdException(String message, boolean unreachable, int code, Throwable cause) {
        super(message, cause);
        this.unreachable = unreachable;
        this.code = code;
    }

    /** @return whether no member answered in time */
    boolean unreachable() {
        return unreachable;
    }

    /** @return etcd's gRPC status code, 0 when it did not answer */
    int code() {
        return code;
    }
}
