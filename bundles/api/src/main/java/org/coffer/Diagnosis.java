package org.coffer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a component knows about itself for the {@code keyring:diagnose} command: facts
 * such as paths and settings, in order, and warnings a person should act on. Never a
 * secret value.
 */
public final class Diagnosis {

    private final String subject;
    private final Map<String, String> details;
    private final List<String> warnings;

    private Diagnosis(Builder builder) {
        this.subject = builder.subject;
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(builder.details));
        this.warnings = List.copyOf(builder.warnings);
    }

    /**
     * @param subject what is diagnosed, for example a backend name
     * @return a builder
     */
    public static Builder of(String subject) {
        return new Builder(subject);
    }

    /** @return what is diagnosed */
    public String subject() {
        return subject;
    }

    /** @return facts in the order they were added */
    public Map<String, String> details() {
        return details;
    }

    /** @return warnings a person should act on */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return "Diagnosis[" + subject + ", " + details + ", warnings=" + warnings + "]";
    }

    /** Collects the facts and warnings of a diagnosis. */
    public static final class Builder {
        private final String subject;
        private final Map<String, String> details = new LinkedHashMap<>();
        private final List<String> warnings = new ArrayList<>();

        private Builder(String subject) {
            this.subject = Objects.requireNonNull(subject, "subject");
        }

        /**
         * @param key the name of the fact
         * @param value its value; {@code null} is shown as empty
         * @return this builder
         */
        public Builder detail(String key, Object value) {
            details.put(key, value == null ? "" : String.valueOf(value));
            return this;
        }

        /**
         * @param warning a sentence a person can act on
         * @return this builder
         */
        public Builder warning(String warning) {
            warnings.add(warning);
            return this;
        }

        /** @return the diagnosis */
        public Diagnosis build() {
            return new Diagnosis(this);
        }
    }
}
