package org.coffer.backend.cryptfile.internal;

import java.nio.file.Path;
import java.util.Map;
import org.coffer.Secret;

/** A second process for {@link CryptFilePythonInteropTest}: writes entries into a shared keyring file. */
public final class ConcurrentWriter {

    static final int COUNT = 20;

    private ConcurrentWriter() {
    }

    public static void main(String[] args) {
        CryptFileBackend backend = new CryptFileBackend(Path.of(args[0]), Map.of("COFFER_KEYRING_PASSWORD", "pw"), "", "");
        String me = String.valueOf(ProcessHandle.current().pid());
        for (int i = 0; i < COUNT; i++) {
            backend.set("race", me + "-" + i, Secret.of("value-" + i));
        }
    }
}
