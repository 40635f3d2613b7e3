package org.coffer.provider.internal;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.coffer.spi.support.AccessPolicyFiles;

/**
 * The access policy as its files say, and nothing else. The files are looked at again
 * at every check (one {@code stat} each), so an edit counts from the next call; the
 * policy is rebuilt only when they changed. A configuration of {@code org.coffer.access}
 * that differs from the files was written some other way (a console post, a bundle):
 * it is ignored, and said so once per change.
 */
final class PolicySource {

    /** The keys of {@code org.coffer.access} that mean something to the policy or to reference resolution. */
    private static final java.util.regex.Pattern POLICY_KEY = java.util.regex.Pattern.compile(
            "policy|admin|masterkey|backends|resolve\\.pids|(read|write|signer)\\..+");

    private final AccessPolicyFiles files;
    private final OwnBundles own;
    private final Consumer<AccessPolicy> changed;
    private Map<String, String> read;
    private volatile AccessPolicy policy;
    private Map<String, String> lastForeign = Map.of();
    private volatile java.util.concurrent.ScheduledExecutorService timer;

    /**
     * @param files the policy files
     * @param own which bundles are Coffer's
     * @param changed told of every new policy, to admit or refuse backends again
     */
    PolicySource(AccessPolicyFiles files, OwnBundles own, Consumer<AccessPolicy> changed) {
        this.files = files;
        this.own = own;
        this.changed = changed;
        this.read = files.current();
        this.policy = AccessPolicy.of(read, own);
    }

    /** @return the policy, read again first if a file changed */
    AccessPolicy current() {
        AccessPolicy next = null;
        synchronized (this) {
            Map<String, String> now = files.current();
            if (!now.equals(read)) {
                read = now;
                next = AccessPolicy.of(now, own);
                policy = next;
            }
        }
        if (next != null) {
            changed.accept(next);
        }
        return policy;
    }

    /**
     * Looks at the files every second on a thread of its own, so that the service hooks
     * and the admission of backends follow an edit even while no bundle calls the
     * provider; {@link #stop()} ends it.
     */
    void watch() {
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor(task -> {
                    Thread thread = new Thread(task, "coffer-access-policy");
                    thread.setDaemon(true);
                    return thread;
                });
        timer.scheduleWithFixedDelay(() -> {
            try {
                current();
            } catch (RuntimeException e) {
                // looked at again in a second
            }
        }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        this.timer = timer;
    }

    void stop() {
        java.util.concurrent.ScheduledExecutorService current = timer;
        if (current != null) {
            current.shutdownNow();
        }
    }

    /** @return the policy as last read, without looking at the files: for the service hooks */
    AccessPolicy cached() {
        return policy;
    }

    /** @return where the policy comes from and what is wrong with it, for the diagnosis */
    String describe() {
        AccessPolicy current = current();
        StringBuilder text = new StringBuilder(current.mode()).append(" (");
        text.append(files.files().isEmpty() ? "no policy file" : "from " + files.files());
        text.append(')');
        if (files.problem() != null) {
            text.append("; ").append(files.problem());
        }
        current.problems().forEach(p -> text.append("; ").append(p));
        return text.toString();
    }

    /**
     * @param configured the properties ConfigAdmin delivered for the provider's PIDs
     * @return a warning when they hold a policy other than the files', once per such change; else {@code null}
     */
    synchronized String foreignWrite(Map<String, ?> configured) {
        Map<String, String> policyKeys = new TreeMap<>();
        configured.forEach((key, value) -> {
            if (POLICY_KEY.matcher(key).matches() && value != null) {
                policyKeys.put(key, String.valueOf(value).strip());
            }
        });
        Map<String, String> fromFiles = new TreeMap<>();
        files.current().forEach((key, value) -> {
            if (POLICY_KEY.matcher(key).matches()) {
                fromFiles.put(key, value);
            }
        });
        if (policyKeys.isEmpty() || Objects.equals(policyKeys, fromFiles) || policyKeys.equals(lastForeign)) {
            return null;
        }
        lastForeign = policyKeys;
        return "A configuration of org.coffer.access differs from the access policy's files " + files.files()
                + " and is ignored: the policy is taken from those files only (ConfigAdmin cannot tell who wrote it)";
    }
}
