package org.coffer.configadmin.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Dictionary;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.coffer.AppConfiguration;
import org.coffer.CofferException;
import org.coffer.ConfigDocument;
import org.coffer.CredentialProvider;
import org.coffer.spi.ConfigFormat;
import org.coffer.spi.support.UserHome;
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
 * Serves the application's app.config: finds it as Resilient Circuits does ({@link
 * AppConfigLocation}), parses it with the highest-ranked format that accepts it ({@link
 * RankedFormats}), and publishes every section as an OSGi configuration ({@link
 * SectionPublisher}, with its ownership rules), its secret references kept as
 * {@code $[scheme:path]} tokens for {@link ReferenceResolvingPlugin}. The file is
 * polled; a broken edit keeps the last good configuration and is reported. In strict
 * mode a reference that finds nothing stops the reload ({@link StrictReferences}).
 */
@Component(service = AppConfiguration.class, configurationPid = AppConfigPublisher.PID, immediate = true)
@Designate(ocd = AppConfigConfig.class)
public final class AppConfigPublisher implements AppConfiguration {

    static final String PID = "org.coffer.appconfig";

    private final AppConfigConfig config;
    /** The file found; until one is, each look searches again, so an app.config created later is seen. */
    private volatile Path file;
    private final RankedFormats formats = new RankedFormats();
    private final SectionPublisher sections;
    private final StrictReferences strict;
    private final ScheduledExecutorService watcher;
    private volatile Object stamp;
    private volatile String lastError;

    @Reference(service = LoggerFactory.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC)
    private volatile Logger logger;

    @Activate
    public AppConfigPublisher(AppConfigConfig config, @Reference ConfigurationAdmin configurationAdmin,
            @Reference CredentialProvider provider) {
        this.config = config;
        this.strict = new StrictReferences(provider);
        this.file = locateHere();
        this.sections = new SectionPublisher(configurationAdmin, config.pids(), this::warn);
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

    private Path locateHere() {
        return AppConfigLocation.locate(config.file(), System.getenv(), Path.of("").toAbsolutePath(), UserHome.of())
                .orElse(null);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeFormat")
    void addFormat(ConfigFormat format, Map<String, Object> properties) {
        formats.add(format, properties);
        stamp = null;
    }

    void removeFormat(ConfigFormat format) {
        formats.remove(format);
        stamp = null;
    }

    @Override
    public Optional<Path> find(Map<String, String> environment, Path workingFolder) {
        return AppConfigLocation.locate(config.file(), environment, workingFolder, UserHome.of(environment))
                .or(this::file);
    }

    @Override
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    @Override
    public ConfigDocument read(Path path) {
        return formats.read(path);
    }

    @Override
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    private void look() {
        if (file == null) {
            file = locateHere();
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
            sections.publish(read(file), (section, option, value) -> {
                if (config.strict()) {
                    strict.check(file, section, option, value);
                }
            });
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

    /**
     * @param pid the PID of a configuration being delivered
     * @param properties its properties, references still as tokens
     * @return whether this publisher wrote exactly these properties for that PID
     */
    boolean published(String pid, Dictionary<String, Object> properties) {
        return sections.published(pid, properties);
    }

    /**
     * @param pid the configuration being delivered
     * @param option an option of its section
     * @return the literal secret app.config gave it, kept in memory only
     */
    Optional<String> literal(String pid, String option) {
        return sections.literal(pid, option);
    }

    private void warn(String message) {
        Logger current = logger;
        if (current != null) {
            current.warn("{}", message);
        }
    }
}
