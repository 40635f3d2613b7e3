package org.coffer.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A user of the distribution made up for one benchmark run: keyring files, state and runtime folder of its own. */
final class ScratchUser {

    private ScratchUser() {
    }

    /**
     * @param name what the run measures, for the folder's name
     * @param password the keyring password, in the environment as a script would set it
     * @return the environment of {@code bin/coffer} for this user, with no desktop bus
     */
    static Map<String, String> environment(String name, String password) throws IOException {
        Path work = Files.createTempDirectory("coffer-" + name);
        Map<String, String> env = new HashMap<>();
        env.put("XDG_DATA_HOME", work.resolve("data").toString());
        env.put("COFFER_STATE", work.resolve("state").toString());
        env.put("XDG_RUNTIME_DIR", Files.createDirectories(work.resolve("run")).toString());
        env.put("DBUS_SESSION_BUS_ADDRESS", "");
        env.put("COFFER_KEYRING_PASSWORD", password);
        return env;
    }
}
