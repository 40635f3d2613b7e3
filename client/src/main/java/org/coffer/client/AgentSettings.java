package org.coffer.client;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The agent's settings: {@code agent.properties} of the install's {@code etc/}, under
 * the same file of the user's own {@code etc/}, under the environment.
 * <ul>
 * <li>{@code autostart}: whether a command that finds no agent starts one
 * ({@code COFFER_NO_AUTOSTART=1} turns it off too);
 * <li>{@code idle}: how long an agent a command started waits for the next command
 * before it exits ({@code 0}: it stays);
 * <li>{@code cache}: how long such an agent keeps the keyring files unlocked without a
 * command before it locks them ({@code 0}: until it exits).
 * </ul>
 * Durations are a number with {@code s}, {@code m} or {@code h} (minutes without a unit).
 */
public final class AgentSettings {

    public static final String FILE = "agent.properties";
    public static final String NO_AUTOSTART = "COFFER_NO_AUTOSTART";
    static final Duration IDLE = Duration.ofMinutes(15);
    static final Duration CACHE = Duration.ofMinutes(10);

    public final boolean autostart;
    public final Duration idle;
    public final Duration cache;

    private AgentSettings(boolean autostart, Duration idle, Duration cache) {
        this.autostart = autostart;
        this.idle = idle;
        this.cache = cache;
    }

    /**
     * @param install the install folder
     * @param places the user's folders
     * @param env the environment
     * @return the settings
     * @throws IllegalArgumentException naming the file and the setting that makes no sense
     */
    public static AgentSettings read(Path install, Places places, Map<String, String> env) {
        Properties properties = new Properties();
        Path[] files = {install.resolve("etc").resolve(FILE), places.userEtc().resolve(FILE)};
        for (Path file : files) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                Properties one = new Properties();
                one.load(in);
                for (String name : one.stringPropertyNames()) {
                    properties.setProperty(name, one.getProperty(name).trim());
                    properties.setProperty(name + ".from", file.toString());
                }
            } catch (NoSuchFileException none) {
                // the defaults
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }
        String autostart = properties.getProperty("autostart", "true");
        if (!autostart.equals("true") && !autostart.equals("false")) {
            throw new IllegalArgumentException(properties.getProperty("autostart.from") + ": autostart is true or false, not '"
                    + autostart + "'");
        }
        String off = env.get(NO_AUTOSTART);
        return new AgentSettings(autostart.equals("true") && (off == null || off.isEmpty()),
                duration(properties, "idle", IDLE), duration(properties, "cache", CACHE));
    }

    private static Duration duration(Properties properties, String name, Duration fallback) {
        String text = properties.getProperty(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(properties.getProperty(name + ".from") + ": " + name + " = " + text
                    + " is not a duration (for example 15m, 90s, 1h, or 0 for never)");
        }
    }

    /**
     * @param text a number with {@code s}, {@code m} or {@code h}; minutes without a unit
     * @return the duration
     */
    static Duration parse(String text) {
        char unit = text.charAt(text.length() - 1);
        String number = Character.isDigit(unit) ? text : text.substring(0, text.length() - 1).trim();
        long amount = Long.parseLong(number);
        if (amount < 0) {
            throw new IllegalArgumentException("negative");
        }
        switch (Character.isDigit(unit) ? 'm' : unit) {
            case 's':
                return Duration.ofSeconds(amount);
            case 'm':
                return Duration.ofMinutes(amount);
            case 'h':
                return Duration.ofHours(amount);
            default:
                throw new IllegalArgumentException("unit");
        }
    }
}
