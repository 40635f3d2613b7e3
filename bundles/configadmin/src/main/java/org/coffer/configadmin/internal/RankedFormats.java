package org.coffer.configadmin.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.coffer.CofferException;
import org.coffer.ConfigDocument;
import org.coffer.spi.ConfigFormat;
import org.coffer.spi.support.Ranking;

/** The configuration formats in service order: for a file, the highest-ranked format that accepts it reads it. */
final class RankedFormats {

    private final List<Ranked> formats = new CopyOnWriteArrayList<>();

    /** @param properties the format's service properties, {@code service.ranking} and {@code service.id} */
    void add(ConfigFormat format, Map<String, Object> properties) {
        formats.add(new Ranked(format, properties));
        formats.sort(null);
    }

    void remove(ConfigFormat format) {
        formats.removeIf(r -> r.format == format);
    }

    boolean isEmpty() {
        return formats.isEmpty();
    }

    /**
     * @return the file as the highest-ranked format that accepts it reads it
     * @throws CofferException if no format accepts it, or the format cannot read it
     */
    ConfigDocument read(Path path) {
        for (Ranked ranked : formats) {
            if (ranked.format.accepts(path)) {
                return ranked.format.read(path);
            }
        }
        throw new CofferException("No configuration format reads " + path + "; install org.coffer.format.ini");
    }

    /** A format with the properties that order it. */
    private static final class Ranked implements Comparable<Ranked> {
        final ConfigFormat format;
        final int ranking;
        final long id;

        Ranked(ConfigFormat format, Map<String, Object> properties) {
            this.format = Objects.requireNonNull(format);
            this.ranking = Ranking.of(properties.get("service.ranking"));
            Object i = properties.get("service.id");
            this.id = i instanceof Long ? (Long) i : Long.MAX_VALUE;
        }

        @Override
        public int compareTo(Ranked other) {
            int byRanking = Integer.compare(other.ranking, ranking);
            return byRanking != 0 ? byRanking : Long.compare(id, other.id);
        }
    }
}
