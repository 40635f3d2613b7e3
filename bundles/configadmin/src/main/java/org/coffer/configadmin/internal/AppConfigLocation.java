package org.coffer.configadmin.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Where the application's app.config is, found in the order Resilient Circuits looks. */
final class AppConfigLocation {

    private AppConfigLocation() {
    }

    /**
     * Resilient's order: the configured file, {@code APP_CONFIG_FILE}, {@code ./app.config}, {@code ~/.resilient/app.config}.
     *
     * @param configured the file the configuration names, or blank
     * @param env the environment that may name it in {@code APP_CONFIG_FILE}
     * @param workingDirectory what relative names are resolved against
     * @param home the user's home folder
     * @return the file, or empty if no place holds one
     */
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
}
