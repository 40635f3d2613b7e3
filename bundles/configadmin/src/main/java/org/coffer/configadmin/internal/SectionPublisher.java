package org.coffer.configadmin.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.coffer.ConfigDocument;
import org.coffer.ConfigValue;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Publishes app.config's sections as OSGi configurations (PID = the section's name
 * unless mapped), its secret references kept as {@code $[scheme:path]} tokens, under
 * the ownership rules: a section never configures the container or Coffer itself
 * ({@link #RESERVED}), never replaces a configuration that came from elsewhere, and a
 * literal secret (an option named like a password) stays in memory: ConfigAdmin stores
 * {@code $[appconfig:option]}. Sections published by an earlier run and gone from the
 * file are withdrawn at the first publication.
 */
final class SectionPublisher {

    /** Marks the configurations this publisher owns. */
    static final String SOURCE = "coffer.appconfig.file";
    /** The scheme of the tokens standing for literal secrets kept in memory. */
    static final String LITERAL_SCHEME = "appconfig";
    /** PIDs of the container and of Coffer: an app.config section never configures them. */
    static final List<String> RESERVED = List.of("org.coffer.", "org.apache.felix.", "org.apache.karaf.",
            "org.apache.aries.", "org.ops4j.", "org.osgi.", "org.eclipse.", "java.", "osgi.");
    /** Option names that hold a secret: their literal values are kept out of ConfigAdmin's store. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(pass|pwd|secret|token|key|credential|auth|private).*");

    /** A check of one option before it is published; it throws to stop the publication. */
    @FunctionalInterface
    interface OptionCheck {
        void check(String section, String option, ConfigValue value);
    }

    private final ConfigurationAdmin configurationAdmin;
    private final Map<String, String> pids = new HashMap<>();
    private final Consumer<String> warning;
    private final Set<String> published = new HashSet<>();
    private final PublishedRecord record = new PublishedRecord();
    /** Literal secrets by PID and option, delivered in place of their {@code $[appconfig:option]} tokens. */
    private volatile Map<String, Map<String, String>> literals = Map.of();
    private boolean firstPublication = true;

    /**
     * @param configurationAdmin where the sections are published
     * @param pidMapping {@code section=pid} pairs that publish a section under another PID
     * @param warning told of the sections that are not published
     */
    SectionPublisher(ConfigurationAdmin configurationAdmin, String[] pidMapping, Consumer<String> warning) {
        this.configurationAdmin = configurationAdmin;
        this.warning = warning;
        for (String pair : pidMapping) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                pids.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
            }
        }
    }

    /**
     * Publishes every section the rules allow and withdraws those gone from the file.
     *
     * @param document the parsed app.config
     * @param check run on every option of a published section before anything is published
     * @throws IOException if ConfigAdmin cannot store a configuration
     */
    synchronized void publish(ConfigDocument document, OptionCheck check) throws IOException {
        boolean first = firstPublication;
        if (first) {
            published.addAll(publishedBefore());
            firstPublication = false;
        }
        Map<String, Dictionary<String, Object>> next = new HashMap<>();
        Map<String, Map<String, String>> secrets = new HashMap<>();
        List<String> refused = new ArrayList<>();
        for (String section : document.sections()) {
            String pid = pids.getOrDefault(section, section);
            if (RESERVED.stream().anyMatch(pid::startsWith) || !ownable(pid)) {
                refused.add("[" + section + "]");
                continue;
            }
            Dictionary<String, Object> properties = new Hashtable<>();
            for (Map.Entry<String, ConfigValue> option : document.options(section).entrySet()) {
                check.check(section, option.getKey(), option.getValue());
                ConfigValue value = option.getValue();
                if (value.references().isEmpty() && SECRET_NAME.matcher(option.getKey()).matches()
                        && !value.raw().isEmpty()) {
                    secrets.computeIfAbsent(pid, p -> new HashMap<>()).put(option.getKey(), value.raw());
                    properties.put(option.getKey(), "$[" + LITERAL_SCHEME + ":" + option.getKey() + "]");
                } else {
                    properties.put(option.getKey(), ReferenceTokens.tokenize(value));
                }
            }
            properties.put(SOURCE, document.file().toString());
            next.put(pid, properties);
        }
        literals = Map.copyOf(secrets);
        for (Map.Entry<String, Dictionary<String, Object>> entry : next.entrySet()) {
            Configuration configuration = configurationAdmin.getConfiguration(entry.getKey(), "?");
            record.record(entry.getKey(), entry.getValue());
            if (!configuration.updateIfDifferent(entry.getValue()) && first) {
                // stored by an earlier run and delivered before this record: delivered again now
                configuration.update(entry.getValue());
            }
        }
        for (String gone : new ArrayList<>(published)) {
            if (!next.containsKey(gone)) {
                record.forget(gone);
                configurationAdmin.getConfiguration(gone, "?").delete();
            }
        }
        published.clear();
        published.addAll(next.keySet());
        if (!refused.isEmpty()) {
            warning.accept(document.file() + ": sections " + String.join(", ", refused) + " are not published: an"
                    + " app.config does not configure the container, Coffer, or a configuration from elsewhere");
        }
    }

    /** @return whether the PID is free or already this publisher's */
    private boolean ownable(String pid) throws IOException {
        Configuration[] existing;
        try {
            existing = configurationAdmin.listConfigurations("(" + Constants.SERVICE_PID + "="
                    + pid.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*") + ")");
        } catch (InvalidSyntaxException e) {
            return false;
        }
        return existing == null || existing[0].getProperties() == null
                || existing[0].getProperties().get(SOURCE) != null;
    }

    /** The PIDs an earlier run published, as ConfigAdmin kept them. */
    private Set<String> publishedBefore() throws IOException {
        Set<String> before = new HashSet<>();
        try {
            Configuration[] existing = configurationAdmin.listConfigurations("(" + SOURCE + "=*)");
            for (Configuration configuration : existing == null ? new Configuration[0] : existing) {
                before.add(configuration.getPid());
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return before;
    }

    /**
     * @param pid the PID of a configuration being delivered
     * @param properties its properties, references still as tokens
     * @return whether this publisher wrote exactly these properties for that PID
     */
    boolean published(String pid, Dictionary<String, Object> properties) {
        return record.wrote(pid, properties);
    }

    /**
     * @param pid the configuration being delivered
     * @param option an option of its section
     * @return the literal secret app.config gave it, kept in memory only
     */
    Optional<String> literal(String pid, String option) {
        Map<String, String> section = pid == null ? null : literals.get(pid);
        return section == null ? Optional.empty() : Optional.ofNullable(section.get(option));
    }
}
