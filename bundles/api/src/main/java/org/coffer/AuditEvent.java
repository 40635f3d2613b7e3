package org.coffer;

import java.time.Instant;
import java.util.Objects;

/**
 * One audited call: who (the calling bundle), what (the action and the entry or
 * backend) and how it ended. It never holds a secret value. The same facts go out as an
 * OSGi EventAdmin event on the topic {@code org/coffer/<ACTION>}.
 */
public final class AuditEvent {

    /** The EventAdmin topic prefix of audit events. */
    public static final String TOPIC_PREFIX = "org/coffer/";

    private final long sequence;
    private final Instant time;
    private final String bundle;
    private final String action;
    private final String target;
    private final String backend;
    private final String outcome;

    /**
     * @param sequence increasing number, for following the audit
     * @param time when the call ended
     * @param bundle symbolic name of the calling bundle
     * @param action READ, WRITE, DELETE, UNLOCK, LOCK, PIN, MIGRATE, REPAIR or REKEY
     * @param target {@code service/username}, a reference or a backend name; may be empty
     * @param backend the backend involved; may be empty
     * @param outcome {@code ok}, {@code none}, {@code denied}, {@code would be denied} or a failure's kind
     */
    public AuditEvent(long sequence, Instant time, String bundle, String action, String target, String backend,
            String outcome) {
        this.sequence = sequence;
        this.time = Objects.requireNonNull(time);
        this.bundle = Objects.requireNonNull(bundle);
        this.action = Objects.requireNonNull(action);
        this.target = target == null ? "" : target;
        this.backend = backend == null ? "" : backend;
        this.outcome = Objects.requireNonNull(outcome);
    }

    /** @return the increasing number of the event */
    public long sequence() {
        return sequence;
    }

    /** @return when the call ended */
    public Instant time() {
        return time;
    }

    /** @return the symbolic name of the calling bundle */
    public String bundle() {
        return bundle;
    }

    /** @return READ, WRITE, DELETE, UNLOCK, LOCK, PIN, MIGRATE, REPAIR or REKEY */
    public String action() {
        return action;
    }

    /** @return {@code service/username}, a reference or a backend name; may be empty */
    public String target() {
        return target;
    }

    /** @return the backend involved; may be empty */
    public String backend() {
        return backend;
    }

    /** @return {@code ok}, {@code none}, {@code denied}, {@code would be denied} or a failure's kind */
    public String outcome() {
        return outcome;
    }

    @Override
    public String toString() {
        return time + " " + bundle + " " + action + " " + target + (backend.isEmpty() ? "" : " @" + backend) + " "
                + outcome;
    }
}
