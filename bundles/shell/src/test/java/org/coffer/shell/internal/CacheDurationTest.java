package org.coffer.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheDurationTest {

    @Test
    void takesSecondsMinutesHoursAndPlainSeconds() {
        assertThat(CacheDuration.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(CacheDuration.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(CacheDuration.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(CacheDuration.parse("900")).isEqualTo(Duration.ofSeconds(900));
        assertThat(CacheDuration.parse(" 15M ")).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void refusesOtherWordsAndZeroSayingWhatItTakes() {
        for (String wrong : List.of("", "m", "15x", "1.5h", "-5m", "15 m", "1d", "forever", "9999999999")) {
            assertThatThrownBy(() -> CacheDuration.parse(wrong)).as(wrong).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--cache '" + wrong + "' is not a duration")
                    .hasMessageContaining("30s, 15m, 2h");
        }
        assertThatThrownBy(() -> CacheDuration.parse("0m")).hasMessageContaining("above zero");
    }

    @Test
    void printsADurationAsItWasWritten() {
        assertThat(CacheDuration.format(Duration.ofMinutes(15))).isEqualTo("15m");
        assertThat(CacheDuration.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(CacheDuration.format(Duration.ofSeconds(90))).isEqualTo("90s");
    }
}
