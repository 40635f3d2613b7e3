package org.coffer.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * The {@code <pid>.cfg} files of the install's {@code etc/} (the administrator's
 * defaults) and of the user's own {@code etc/}, whose properties override them, put
 * into ConfigAdmin before any Coffer component starts, and again whenever they change.
 * A file {@code <factoryPid>-<name>.cfg} is a factory configuration, as in FileInstall.
 * Only the properties a file gave are replaced, or withdrawn when the file is gone, so
 * what Coffer stores beside them at run time (the pin of {@code keyring:use}) stays.
 * {@code ${coffer.home}}, {@code ${coffer.install}} and {@code ${coffer.state}} are
 * replaced in values; {@code service.ranking} becomes an Integer, as the framework reads
 * only that.
 */
final class EtcConfigurations {

    /** Marks the configurations that come from etc/; a leading dot keeps it off service properties. */
    static final String SOURCE = ".coffer.etc";
    static final String CM = "org.osgi.service.cm.ConfigurationAdmin";

    private final List<Path> folders;
    private final Map<String, String> variables;
    private final PrintStream err;
    private String lastStamp = "";
    private final Set<String> broken = new java.util.HashSet<>();

    /**
     * @param folders the etc/ folders, the later overriding the earlier
     * @param variables the {@code ${...}} replacements
     * @param err where a broken file is reported
     */
    EtcConfigurations(List<Path> folders, Map<String, String> variables, PrintStream err) {
        this.folders = folders;
        this.variables = variables;
        this.err = err;
    }

    /** @return whether a file was added, changed or removed since the last {@link #apply} */
    synchronized boolean changed() {
        return !stamp().equals(lastStamp);
    }

    /**
     * Makes ConfigAdmin hold what the files say. Returns when every update is stored, so
     * that components started afterwards get their configuration from the start.
     *
     * @param context the framework's context; ConfigAdmin must be active
     */
    synchronized void apply(BundleContext context) throws Exception {
        lastStamp = stamp();
        ServiceReference<?> reference = context.getServiceReference(CM);
        if (reference == null) {
            throw new IllegalStateException("ConfigAdmin is not running; check bundle/");
        }
        Object admin = context.getService(reference);
        try {
            ReflectiveConfigAdmin cm = new ReflectiveConfigAdmin(admin, reference.getBundle().loadClass(CM));
            broken.clear();
            Map<String, Map<String, Object>> wanted = read();
            for (Object configuration : cm.list("(" + SOURCE + "=*)")) {
                String key = String.valueOf(cm.properties(configuration).get(SOURCE));
                if (!wanted.containsKey(key) && !broken.contains(key)) {
                    cm.withdraw(configuration);
                }
            }
            for (Map.Entry<String, Map<String, Object>> file : wanted.entrySet()) {
                cm.put(file.getKey(), file.getValue());
            }
        } finally {
            context.ungetService(reference);
        }
    }

    private String stamp() {
        StringBuilder stamp = new StringBuilder();
        for (Path folder : folders) {
            for (Path file : files(folder)) {
                try {
                    stamp.append(file).append(Files.getLastModifiedTime(file).toMillis()).append(Files.size(file));
                } catch (IOException e) {
                    stamp.append(file).append('?');
                }
            }
        }
        return stamp.toString();
    }

    /** @return the merged properties by file name less {@code .cfg} */
    private Map<String, Map<String, Object>> read() {
        Map<String, Map<String, Object>> merged = new TreeMap<>();
        for (Path folder : folders) {
            for (Path file : files(folder)) {
                String name = file.getFileName().toString();
                String key = name.substring(0, name.length() - ".cfg".length());
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    properties.load(reader);
                } catch (IOException | IllegalArgumentException e) {
                    err.println("coffer: " + file + " cannot be read (" + e.getMessage() + "); its configuration is unchanged");
                    broken.add(key);
                    continue;
                }
                Map<String, Object> values = merged.computeIfAbsent(key, k -> new LinkedHashMap<>());
                for (String property : properties.stringPropertyNames()) {
                    values.put(property, value(property, properties.getProperty(property)));
                }
                values.put(SOURCE, key);
            }
        }
        merged.keySet().removeAll(broken);
        return merged;
    }

    private Object value(String property, String text) {
        String value = text.trim();
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            value = value.replace("${" + variable.getKey() + "}", variable.getValue());
        }
        if ("service.ranking".equals(property)) {
            try {
                return Integer.valueOf(value);
            } catch (NumberFormatException e) {
                return value;
            }
        }
        return value;
    }

    private static List<Path> files(Path folder) {
        List<Path> files = new java.util.ArrayList<>();
        if (Files.isDirectory(folder)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, "*.cfg")) {
                stream.forEach(files::add);
            } catch (IOException e) {
                // an unreadable folder holds no configuration
            }
        }
        files.sort(null);
        return files;
    }
}
