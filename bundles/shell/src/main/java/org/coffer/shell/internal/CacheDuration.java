package org.coffer.shell.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How long {@code keyring:unlock --cache} keeps the password: {@code 30s}, {@code 15m}, {@code 2h} or plain seconds. */
final class CacheDuration {

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})([smh]?)");

    private CacheDuration() {
    }

    /**
     * @param text seconds ({@code 900}) or a number with {@code s}, {@code m} or {@code h}
     * @return the duration, above zero
     * @throws IllegalArgumentException saying which forms are taken
     */
    static Duration parse(String text) {
        Matcher form = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!form.matches()) {
            throw new IllegalArgumentException("--cache '" + text + "' is not a duration: give seconds (900) or a"
                    + " number with s, m or h (30s, 15m, 2h)");
        }
        long amount = Long.parseLong(form.group(1));
        Duration duration;
        switch (form.group(2)) {
            case "m":
                duration = Duration.ofMinutes(amount);
                break;
            case "h":
                duration = Duration.ofHours(amount);
                break;
            default:
                duration = Duration.ofSeconds(amount);
        }
        if (duration.isZero()) {
            throw new IllegalArgumentException("--cache " + text + " would keep the password for no time; give a"
                    + " duration above zero, such as 15m");
        }
        return duration;
    }

    /** @return the duration as the user would write it: {@code 15m}, {@code 2h}, {@code 90s} */
    static String format(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}
