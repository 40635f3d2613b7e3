package org.coffer.webconsole.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Slows down guessing the console's password, for every client at once (every local
 * client is 127.0.0.1, so counting per client would mean little): sign-ins are checked
 * one at a time, in the order they came, and after a failure the next check waits,
 * twice as long after each further failure up to a cap. A success ends the waiting, and
 * so does a quiet quarter of an hour. Once wrong passwords stop coming, the right one
 * waits the cap at most.
 */
final class SignInThrottle {

    /** How a sign-in ended. */
    enum Outcome { ACCEPTED, REFUSED, BUSY }

    private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(15);

    private final long firstMillis;
    private final long capMillis;
    private final ReentrantLock gate = new ReentrantLock(true);
    // written under the gate, read without it
    private volatile int failures;
    private volatile long total;
    private long lastFailure;

    /**
     * @param firstMillis the wait after one failure
     * @param capMillis the longest wait
     */
    SignInThrottle(long firstMillis, long capMillis) {
        this.firstMillis = firstMillis;
        this.capMillis = capMillis;
    }

    /**
     * Runs the check once the wait its predecessors earned has passed.
     *
     * @return ACCEPTED or REFUSED as the check said, BUSY when so many sign-ins queue that
     *         this one would wait longer than twice the cap: it is refused unchecked
     */
    Outcome attempt(BooleanSupplier check) {
        try {
            if (!gate.tryLock(2 * capMillis + 1000, TimeUnit.MILLISECONDS)) {
                return Outcome.BUSY;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.BUSY;
        }
        try {
            long now = System.nanoTime();
            if (failures > 0 && now - lastFailure > QUIET_NANOS) {
                failures = 0;
            }
            long wait = failures == 0 ? 0 : lastFailure + TimeUnit.MILLISECONDS.toNanos(delayMillis(failures)) - now;
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (check.getAsBoolean()) {
                failures = 0;
                return Outcome.ACCEPTED;
            }
            failures++;
            total++;
            lastFailure = System.nanoTime();
            return Outcome.REFUSED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.BUSY;
        } finally {
            gate.unlock();
        }
    }

    /** @return the wait before the check that follows this many failures in a row */
    long delayMillis(int inARow) {
        if (inARow <= 0) {
            return 0;
        }
        return Math.min(capMillis, firstMillis << Math.min(inARow - 1, 30));
    }

    /** @return the failures in a row now, for the audit */
    int failuresInARow() {
        return failures;
    }

    /** @return every failure since the console started */
    long total() {
        return total;
    }
}
