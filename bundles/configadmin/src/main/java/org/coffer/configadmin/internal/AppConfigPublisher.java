package org.coffer.configadmin.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.coffer.AppConfiguration;
import org.coffer.CofferException;
import org.coffer.ConfigDocument;
import org.coffer.ConfigValue;
import org.coffer.CredentialProvider;
import org.coffer.SecretReference;
import org.coffer.spi.ConfigFormat;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Serves the application's app.config: finds it as Resilient Circuits does, parses it
 * with the highest-ranked format that accepts it, and publishes every section as an OSGi
 * configuration (PID = the section's name unless mapped), its secret references kept as
 * {@code $[scheme:path]} tokens for {@link ReferenceResolvingPlugin}. The file is
 * watched; a broken edit keeps the last good configuration and is reported.
 * <p>
 * The file is the application's, not the administrator's: a section never configures
 * the container or Coffer itself ({@link #RESERVED}), never replaces a configuration
 * that came from elsewhere, and a literal secret (an option named like a password) stays
 * in memory: ConfigAdmin stores {@code $[appconfig:option]}, so no copy of it reaches the
 * container's configuration store. Sections published by an earlier run and gone from
 * the file are withdrawn at the first publication.
 */
@Component(service = AppConfiguration.class, configurationPid = AppConfigPublisher.PID, immediate = true)
@Designate(ocd = AppConfigConfig.class)
public final class AppConfigPublisher implements AppConfiguration {

    static final String PID = "org.coffer.appconfig";
    /** Marks the configurations this publisher owns. */
    static final String SOURCE = "coffer.appconfig.file";
    /** The scheme of the tokens standing for literal secrets kept in memory. */
    static final String LITERAL_SCHEME = "appconfig";
    /** PIDs of the container and of Coffer: an app.config section never configures them. */
    static final List<String> RESERVED = List.of("org.coffer.", "org.apache.felix.", "org.apache.karaf.",
            "org.apache.aries.", "org.ops4j.", "org.osgi.", "org.eclipse.", "java.", "osgi.");
    /** Option names that hold a secret: their literal values are kept out of ConfigAdmin's store. */
    private static final java.util.regex.Pattern SECRET_NAME = java.util.regex.Pattern.compile(
            "(?i).*(pass|pwd|secret|token|key|credential|auth|private).*");

    private final ConfigurationAdmin configurationAdmin;
    private final CredentialProvider provider;
    private final AppConfigConfig config;
    /** The file found; until one is, each look searches again, so an app.config created later is seen. */
    private volatile Path file;
    private final Map<String, String> pids = new HashMap<>();
    private final List<Ranked> formats = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService watcher;
    private volatile Object stamp;
    private volatile String lastError;
    private final Set<String> published = new HashSet<>();
    private final PublishedRecord record = new PublishedRecord();
    /** Literal secrets by PID and option, delivered in place of their {@code $[appconfig:option]} tokens. */
    private volatile Map<String, Map<String, String>> literals = Map.of();
    private boolean firstPublication = true;

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    @Activate
    public AppConfigPublisher(AppConfigConfig config, @Reference ConfigurationAdmin configurationAdmin,
            @Reference CredentialProvider provider) {
        this.config = config;
        this.configurationAdmin = configurationAdmin;
        this.provider = provider;
        this.file = locate(config.file(), System.getenv(), Path.of("").toAbsolutePath(),
                org.coffer.spi.support.UserHome.of()).orElse(null);
        for (String pair : config.pids()) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                pids.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
            }
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "coffer-appconfig-watcher");
            thread.setDaemon(true);
            return thread;
        });
        watcher.scheduleWithFixedDelay(this::look, 0, Math.max(100, config.poll_interval()), TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        watcher.shutdownNow();
    }

    /** Resilient's order: the configured file, {@code APP_CONFIG_FILE}, {@code ./app.config}, {@code ~/.resilient/app.config}. */
    static Optional<Path> locate(String configured, Map<String, String> env, Path workingDirectory, Path home) {
        if (configured != null && !configured.isBlank()) {
            return Optional.of(workingDirectory.resolve(configured));
        }
        String variable = env.get("APP_CONFIG_FILE");
        if (variable != null && !variable.isBlank()) {
            return Optional.of(workingDirectory.resolve(variable));
        }
        Path local = workingDirectory.resolve("app.config");
        if (Files.isRegularFile(local)) {
            return Optional.of(local);
        }
        Path user = home.resolve(".resilient").resolve("app.config");
        return Files.isRegularFile(user) ? Optional.of(user) : Optional.empty();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeFormat")
    void addFormat(ConfigFormat format, Map<String, Object> properties) {
        formats.add(new Ranked(format, properties));
        formats.sort(null);
        stamp = null;
    }

    void removeFormat(ConfigFormat format) {
        formats.removeIf(r -> r.format == format);
        stamp = null;
    }

    @Override
    public Optional<Path> find(Map<String, String> environment, Path workingFolder) {
        return locate(config.file(), environment, workingFolder, org.coffer.spi.support.UserHome.of(environment)).or(this::file);
    }

    @Override
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    @Override
    public ConfigDocument read(Path path) {
        for (Ranked ranked : formats) {
            if (ranked.format.accepts(path)) {
                return ranked.format.read(path);
            }
        }
        throw new CofferException("No configuration format reads " + path + "; install org.coffer.format.ini");
    }

    @Override
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    private void look() {
        if (file == null) {
            file = locate(config.file(), System.getenv(), Path.of("").toAbsolutePath(), org.coffer.spi.support.UserHome.of())
                    .orElse(null);
            if (file == null) {
                return;
            }
        }
        reloadIfChanged();
    }

    private void reloadIfChanged() {
        try {
            Object now = Files.exists(file) ? Files.readAttributes(file, BasicFileAttributes.class).lastModifiedTime()
                    + "/" + Files.size(file) : "missing";
            if (now.equals(stamp) || formats.isEmpty()) {
                return;
            }
            publish(read(file));
            // only a published file counts as seen: a failed one is tried again at the next look
            stamp = now;
            lastError = null;
        } catch (CofferException | IOException e) {
            String message = e.getMessage() + "; the last good configuration stays in use";
            if (!message.equals(lastError)) {
                lastError = message;
                Logger current = logger;
                if (current != null) {
                    current.error("{}", message);
                }
            }
        } catch (RuntimeException e) {
            lastError = "Reloading " + file + " failed: " + e;
        }
    }

    private synchronized void publish(ConfigDocument document) throws IOException {
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
                checkStrict(section, option.getKey(), option.getValue());
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
            warn(document.file() + ": sections " + String.join(", ", refused) + " are not published: an"
                    + " app.config does not configure the container, Coffer, or a configuration from elsewhere");
        }
    }

    /** @return whether the PID is free or already this publisher's */
    private boolean ownable(String pid) throws IOException {
        Configuration[] existing;
        try {
            existing = configurationAdmin.listConfigurations("(" + org.osgi.framework.Constants.SERVICE_PID + "="
                    + pid.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*") + ")");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
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
        } catch (org.osgi.framework.InvalidSyntaxException e) {
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

    private void warn(String message) {
        Logger current = logger;
        if (current != null) {
            current.warn("{}", message);
        }
    }

    /** In strict mode a reference that finds nothing stops the reload, naming the line. */
    private void checkStrict(String section, String option, ConfigValue value) {
        if (!config.strict()) {
            return;
        }
        for (SecretReference reference : value.references()) {
            boolean found;
            try {
                found = provider.resolve(reference.toString()).map(s -> {
                    s.destroy();
                    return true;
                }).orElse(false);
            } catch (CofferException e) {
                found = false;
            }
            if (!found) {
                throw new CofferException(file + ", line " + value.line() + ": [" + section + "] " + option
                        + " refers to " + reference + ", which finds nothing (strict mode)");
            }
        }
    }

    /** A format with the properties that order it. */
    private static final class Ranked implements Comparable<Ranked> {
        final ConfigFormat format;
        final int ranking;
        final long id;

        Ranked(ConfigFormat format, Map<String, Object> properties) {
            this.format = Objects.requireNonNull(format);
            Object r = properties.get("service.ranking");
            this.ranking = org.coffer.spi.support.Ranking.of(r);
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
