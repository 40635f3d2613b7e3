package org.coffer.provider.internal;

import java.util.Map;
import org.coffer.spi.KeyringBackend;

/** A backend with the service properties that order it: ranking, then service id. */
final class RankedBackend implements Comparable<RankedBackend> {

    final KeyringBackend backend;
    final String name;
    final int ranking;
    final long serviceId;

    RankedBackend(KeyringBackend backend, Map<String, ?> properties) {
        this.backend = backend;
        this.name = backend.name();
        Object ranking = properties.get("service.ranking");
        this.ranking = org.coffer.spi.Ranking.of(ranking);
        Object id = properties.get("service.id");
        this.serviceId = id instanceof Long ? (Long) id : Long.MAX_VALUE;
    }

    /** Highest ranking first; on a tie the older service (lower id) first, as {@code ServiceReference.compareTo}. */
    @Override
    public int compareTo(RankedBackend other) {
        int byRanking = Integer.compare(other.ranking, ranking);
        return byRanking != 0 ? byRanking : Long.compare(serviceId, other.serviceId);
    }

    @Override
    public String toString() {
        return name + " (ranking: " + ranking + ")";
    }
}
