package org.coffer.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.coffer.client.Places;
import org.osgi.framework.Constants;

/**
 * The properties Felix is launched with: its cache slot, the start levels, ConfigAdmin's
 * store and FileInstall's {@code deploy/} in the user's state, quiet logs, the access
 * policy's files and Coffer's own bundle locations, with {@code etc/config.properties}
 * over them.
 */
final class FrameworkProperties {

    private static final String ACCESS_FILE = "org.coffer.access.cfg";

    private FrameworkProperties() {
    }

    /**
     * @param install the install folder
     * @param places the user's folders
     * @param state the user's private state folder
     * @param slot the framework's cache slot
     * @param variables the {@code ${...}} replacements of {@code etc/config.properties}, also set as properties
     * @return the properties, which the caller may add to
     * @throws IOException if {@code etc/config.properties} or the list of shipped backends cannot be read
     */
    static Map<String, String> of(Path install, Places places, Path state, CacheSlot slot,
            Map<String, String> variables) throws IOException {
        Map<String, String> config = frameworkConfig(install, state, slot, variables);
        config.put("coffer.access.files", install.resolve("etc").resolve(ACCESS_FILE) + ","
                + places.userEtc().resolve(ACCESS_FILE));
        config.put("coffer.own.locations", ownLocations(install));
        return config;
    }

    /**
     * The locations of the bundles this install ships: its {@code bundle/} and {@code web/}
     * folders and the backend jars listed as shipped in {@code deploy/}. Coffer's own
     * rights go to these and to no other bundle, whatever its name.
     */
    private static String ownLocations(Path install) throws IOException {
        List<String> locations = new java.util.ArrayList<>();
        locations.add("reference:" + install.resolve("bundle").toUri() + "*");
        locations.add("reference:" + install.resolve("web").toUri() + "*");
        Path shipped = install.resolve("lib/shipped-deploy.list");
        if (Files.isRegularFile(shipped)) {
            for (String name : Files.readAllLines(shipped)) {
                if (!name.isBlank() && !name.contains("/")) {
                    // FileInstall's location for a jar of deploy/
                    locations.add(install.resolve("deploy").resolve(name.strip()).toFile().toURI().toString());
                }
            }
        }
        return String.join(",", locations);
    }

    private static Map<String, String> frameworkConfig(Path install, Path state, CacheSlot slot,
            Map<String, String> variables) throws IOException {
        Map<String, String> config = new HashMap<>(variables);
        config.put(Constants.FRAMEWORK_STORAGE, slot.folder.toString());
        config.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(CofferFramework.CONFIG_LEVEL));
        config.put("felix.startlevel.bundle", Integer.toString(CofferFramework.BUNDLE_LEVEL));
        config.put("felix.cm.dir", state.resolve("config").toString());
        config.put("felix.fileinstall.dir", install.resolve("deploy").toString());
        config.put("felix.fileinstall.poll", "1000");
        config.put("felix.fileinstall.noInitialDelay", "true");
        config.put("felix.fileinstall.log.level", "1");
        // a configuration dropped into deploy/ is read, never written back
        config.put("felix.fileinstall.enableConfigSave", "false");
        config.put("felix.log.level", "1");
        // a one-shot command stops the framework at once; EventAdmin would warn on standard output
        config.put("org.apache.felix.eventadmin.LogLevel", "1");
        config.put("ds.loglevel", "error");
        // SCR keeps the components' descriptions it parsed in the cache slot: a start reads no XML again
        config.put("ds.cache.metadata", "true");
        Path file = install.resolve("etc/config.properties");
        if (Files.isRegularFile(file)) {
            Properties overrides = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                overrides.load(in);
            }
            for (String name : overrides.stringPropertyNames()) {
                String value = overrides.getProperty(name);
                for (Map.Entry<String, String> variable : variables.entrySet()) {
                    value = value.replace("${" + variable.getKey() + "}", variable.getValue());
                }
                config.put(name, value);
            }
        }
        return config;
    }
}
