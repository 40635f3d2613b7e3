package org.coffer.provider.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.coffer.BackendException;
import org.coffer.spi.BackendAbsence;

/**
 * The backends a read that found nothing could not ask, so that it says which and why
 * instead of "not found" (the availability half of the rule for failing backends):
 *
 * <ul>
 * <li>a backend that went away while its bundle runs (its store left, its condition was
 * withdrawn) and that ranked above every backend still here, or was pinned: for {@value
 * #AWAY_SECONDS} s after it left, and as long as its absence is published (its watcher or
 * probe waits for it to come back). A backend whose bundle was stopped is gone, not away;</li>
 * <li>a backend absent as configured ({@link BackendAbsence#configured()}): set up to
 * work here, with a store it cannot reach.</li>
 * </ul>
 */
final class MissingBackends {

    static final long AWAY_SECONDS = 30;
    private static final Duration AWAY = Duration.ofSeconds(AWAY_SECONDS);

    /** When a backend left, how it ranked then, and whether its bundle still runs. */
    private record Departure(int ranking, Instant left, BooleanSupplier started) {
    }

    private final Map<String, Departure> departed = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile Supplier<List<BackendAbsence>> absences = List::of;

    MissingBackends(Clock clock) {
        this.clock = clock;
    }

    /** @param absences the absences the backends' probes and watchers publish now */
    void absencesFrom(Supplier<List<BackendAbsence>> absences) {
        this.absences = absences;
    }

    /**
     * @param backend a backend whose service went away
     * @param started whether its bundle still runs: a backend whose bundle was stopped (by hand, by an
     *        update, by an uninstall) is gone, not away
     */
    void left(RankedBackend backend, BooleanSupplier started) {
        departed.put(backend.name, new Departure(backend.ranking, clock.instant(), started));
    }

    void joined(String name) {
        departed.remove(name);
    }

    /**
     * @param order the backends that answered a read that found nothing, highest first; not none
     * @param pinned the pinned backend's name, or {@code null}
     * @param entry what was read ("password for 'alice' in 'svc'"); {@code null} for a read that names nothing
     * @throws BackendException if a backend that may hold the entry could not be asked, naming it
     */
    void check(List<RankedBackend> order, String pinned, String entry) {
        String unasked = entry == null ? null : unasked(order, pinned);
        if (unasked == null) {
            return;
        }
        List<String> names = new ArrayList<>();
        order.forEach(r -> names.add(r.name));
        throw new BackendException("No " + entry + " in " + String.join(", ", names) + ", and it may be in a"
                + " backend that cannot answer now: " + unasked);
    }

    /**
     * @param order the backends that answered the read, highest first
     * @param pinned the pinned backend's name, or {@code null}
     * @return the backends that may hold the entry and could not be asked, each with since when
     *         or why; {@code null} when "not found" is the answer
     */
    String unasked(List<RankedBackend> order, String pinned) {
        Set<String> present = new HashSet<>();
        order.forEach(r -> present.add(r.name));
        int top = order.isEmpty() ? Integer.MIN_VALUE : order.get(0).ranking;
        List<BackendAbsence> published = published();
        Instant now = clock.instant();
        Set<String> named = new HashSet<>();
        List<String> reasons = new ArrayList<>();
        departed.forEach((name, departure) -> {
            String absence = reasonOf(published, name);
            if (present.contains(name)) {
                return;
            }
            if (!departure.started().getAsBoolean()
                    || absence == null && !now.isBefore(departure.left().plus(AWAY))) {
                departed.remove(name, departure);
                return;
            }
            if (departure.ranking() > top || name.equals(pinned)) {
                named.add(name);
                reasons.add("the keyring backend '" + name + "' is unavailable since "
                        + departure.left().truncatedTo(ChronoUnit.SECONDS) + " ("
                        + Duration.between(departure.left(), now).toSeconds() + " s ago): "
                        + (absence != null ? absence : "it went away"));
            }
        });
        for (BackendAbsence absence : published) {
            try {
                String name = absence.backend();
                if (absence.configured() && !present.contains(name) && named.add(name)) {
                    reasons.add("the keyring backend '" + name + "' is absent: " + absence.reason());
                }
            } catch (RuntimeException goneMeanwhile) {
                // its bundle stopped: no longer published
            }
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    private List<BackendAbsence> published() {
        try {
            return List.copyOf(absences.get());
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static String reasonOf(List<BackendAbsence> published, String name) {
        for (BackendAbsence absence : published) {
            try {
                if (name.equals(absence.backend())) {
                    return absence.reason();
                }
            } catch (RuntimeException goneMeanwhile) {
                // its bundle stopped: no longer published
            }
        }
        return null;
    }
}
