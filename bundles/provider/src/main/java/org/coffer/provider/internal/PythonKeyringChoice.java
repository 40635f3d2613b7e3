package org.coffer.provider.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.coffer.spi.support.PythonKeyringFolders;

/**
 * The backend Python's keyring was told to use, as Coffer's backend name:
 * {@code PYTHON_KEYRING_BACKEND}, else {@code default-keyring} in the {@code [backend]}
 * section of {@code keyringrc.cfg} ({@code $XDG_CONFIG_HOME/python_keyring/}). It is
 * the pin while Coffer has none of its own, so both tools write to the same keyring.
 */
final class PythonKeyringChoice {

    private static final Map<String, String> NAMES = Map.of(
            "keyrings.alt.file.PlaintextKeyring", "plaintext",
            "keyrings.alt.file.EncryptedKeyring", "encryptedfile",
            "keyrings.cryptfile.cryptfile.CryptFileKeyring", "cryptfile",
            "keyring.backends.SecretService.Keyring", "secretservice");

    private PythonKeyringChoice() {
    }

    /**
     * @param env the environment
     * @return Coffer's name of Python's chosen backend, if one is chosen and Coffer has it
     */
    static Optional<String> of(Map<String, String> env) {
        String chosen = env.get("PYTHON_KEYRING_BACKEND");
        if (chosen == null || chosen.isBlank()) {
            chosen = fromConfig(configFile(env)).orElse(null);
        }
        return chosen == null ? Optional.empty() : Optional.ofNullable(NAMES.get(chosen.strip()));
    }

    private static Path configFile(Map<String, String> env) {
        return PythonKeyringFolders.config(env).resolve("keyringrc.cfg");
    }

    /** {@code default-keyring} of the {@code [backend]} section, read as configparser reads it. */
    static Optional<String> fromConfig(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String section = "";
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String text = line.strip();
                if (text.startsWith("[") && text.endsWith("]")) {
                    section = text.substring(1, text.length() - 1).strip();
                } else if ("backend".equals(section) && !text.startsWith("#") && !text.startsWith(";")) {
                    int separator = text.indexOf('=') >= 0 ? text.indexOf('=') : text.indexOf(':');
                    if (separator > 0 && "default-keyring".equals(text.substring(0, separator).strip())) {
                        return Optional.of(text.substring(separator + 1).strip());
                    }
                }
            }
        } catch (IOException e) {
            // an unreadable keyringrc.cfg chooses nothing, as in Python
        }
        return Optional.empty();
    }
}
