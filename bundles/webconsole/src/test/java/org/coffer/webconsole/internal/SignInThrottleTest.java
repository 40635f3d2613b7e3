package org.coffer.webconsole.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {

    @Test
    void eachFailureDoublesTheWaitUpToTheCapAndASuccessEndsIt() {
        SignInThrottle throttle = new SignInThrottle(40, 160);
        assertThat(throttle.delayMillis(0)).isZero();
        assertThat(throttle.delayMillis(1)).isEqualTo(40);
        assertThat(throttle.delayMillis(2)).isEqualTo(80);
        assertThat(throttle.delayMillis(3)).isEqualTo(160);
        assertThat(throttle.delayMillis(40)).isEqualTo(160);

        long begin = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.attempt(() -> false)).isEqualTo(SignInThrottle.Outcome.REFUSED);
        }
        // the waits before the 2nd to 5th check: 40 + 80 + 160 + 160
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)).isGreaterThanOrEqualTo(440);
        assertThat(throttle.failuresInARow()).isEqualTo(5);

        begin = System.nanoTime();
        assertThat(throttle.attempt(() -> true)).isEqualTo(SignInThrottle.Outcome.ACCEPTED);
        long right = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        assertThat(right).isGreaterThanOrEqualTo(100).isLessThan(1000);
        assertThat(throttle.failuresInARow()).isZero();
        assertThat(throttle.total()).isEqualTo(5);

        begin = System.nanoTime();
        assertThat(throttle.attempt(() -> true)).isEqualTo(SignInThrottle.Outcome.ACCEPTED);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)).isLessThan(100);
    }

    @Test
    void guessesInParallelAreCheckedOneAtATime() throws Exception {
        SignInThrottle throttle = new SignInThrottle(50, 50);
        Thread[] guessers = new Thread[6];
        long begin = System.nanoTime();
        for (int i = 0; i < guessers.length; i++) {
            guessers[i] = new Thread(() -> throttle.attempt(() -> false));
            guessers[i].start();
        }
        for (Thread guesser : guessers) {
            guesser.join();
        }
        assertThat(throttle.total()).isEqualTo(6);
        // five waits of 50 ms, one after the other
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)).isGreaterThanOrEqualTo(250);
    }
}
