package org.coffer.provider.internal;

import java.util.Map;
import org.coffer.BackendInfo;
import org.coffer.KeyringEntry;
import org.coffer.spi.KeyringBackend;

/**
 * A backend with the service properties that order it (ranking, then service id) and
 * the entry it reads its password from, if its properties name one.
 */
final class RankedBackend implements Comparable<RankedBackend> {

    final KeyringBackend backend;
    final String name;
    final int ranking;
    final long serviceId;
    /** {@code password.service} and {@code password.username}, or {@code null}. */
    final KeyringEntry passwordEntry;

    RankedBackend(KeyringBackend backend, Map<String, ?> properties) {
        this.backend = backend;
        this.name = backend.name();
        Object ranking = properties.get("service.ranking");
        this.ranking = org.coffer.spi.support.Ranking.of(ranking);
        Object id = properties.get("service.id");
        this.serviceId = id instanceof Long ? (Long) id : Long.MAX_VALUE;
        this.passwordEntry = entry(properties.get(KeyringBackend.PASSWORD_SERVICE_PROPERTY),
                properties.get(KeyringBackend.PASSWORD_USERNAME_PROPERTY));
    }

    private static KeyringEntry entry(Object service, Object username) {
        if (service == null || username == null || service.toString().isBlank() || username.toString().isBlank()) {
            return null;
        }
        return new KeyringEntry(service.toString().strip(), username.toString().strip());
    }

    /** Highest ranking first; on a tie the older service (lower id) first, as {@code ServiceReference.compareTo}. */
    @Override
    public int compareTo(RankedBackend other) {
        int byRanking = Integer.compare(other.ranking, ranking);
        return byRanking != 0 ? byRanking : Long.compare(serviceId, other.serviceId);
    }

    /**
     * @param active whether it receives writes now
     * @return what the administration shows of it; a backend that fails to say is described by its name,
     *         as unlocked and not new
     */
    BackendInfo info(boolean active) {
        return new BackendInfo(name, asked(backend::description, name), ranking, active, true,
                asked(backend::isLocked, false), null, backend.sharesPassword()).withPasswordEntry(passwordEntry)
                .withFirstPassword(asked(backend::awaitsFirstPassword, false));
    }

    private static <T> T asked(java.util.function.Supplier<T> question, T otherwise) {
        try {
            return question.get();
        } catch (RuntimeException e) {
            return otherwise;
        }
    }

    @Override
    public String toString() {
        return name + " (ranking: " + ranking + ")";
    }
}
