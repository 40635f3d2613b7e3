package org.coffer.backend.eclipse.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The running Eclipses (IDEs and RCP applications: a JVM started through Equinox's
 * launcher or framework jar) that use a secure storage file: one given as
 * {@code -eclipse.keyring}, or the user's default one when none is. Equinox reads the
 * file once and writes it whole on each save, so such a program would overwrite a
 * change made beside it. Seen through the process table, as far as this user may read
 * it (Linux's {@code /proc}; elsewhere Java may not see other programs' arguments).
 */
public final class EclipseProcesses {

    private static final List<String> EQUINOX = List.of("org.eclipse.equinox.launcher", "org.eclipse.osgi",
            "org.eclipse.core.runtime.adaptor.EclipseStarter");

    private EclipseProcesses() {
    }

    /**
     * @param storage the storage file
     * @param home the user's home folder, where an Eclipse without {@code -eclipse.keyring} keeps its storage
     * @return each such program, as its process id and command line
     */
    public static List<String> holding(Path storage, Path home) {
        Path wanted = canonical(storage);
        List<String> holders = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses().filter(process -> process.pid() != self).forEach(process -> {
            Optional<String[]> arguments = process.info().arguments();
            if (arguments.isEmpty() || !isEquinox(process.info().command().orElse(""), arguments.get())) {
                return;
            }
            Path used = storageOf(process.pid(), arguments.get(), home);
            if (used != null && canonical(used).equals(wanted)) {
                holders.add(process.pid() + " (" + process.info().commandLine().orElse("?") + ")");
            }
        });
        return holders;
    }

    private static boolean isEquinox(String command, String[] arguments) {
        return EQUINOX.stream().anyMatch(name -> command.contains(name)
                || Arrays.stream(arguments).anyMatch(argument -> argument.contains(name)));
    }

    /** @return the storage the program uses, relative paths against its working folder */
    private static Path storageOf(long pid, String[] arguments, Path home) {
        Path userHome = home;
        for (int i = 0; i < arguments.length; i++) {
            if (arguments[i].equals("-eclipse.keyring") && i + 1 < arguments.length) {
                Path keyring = Path.of(arguments[i + 1]);
                if (keyring.isAbsolute()) {
                    return keyring;
                }
                try {
                    return Path.of("/proc", Long.toString(pid), "cwd").toRealPath().resolve(keyring);
                } catch (IOException unknownFolder) {
                    return keyring.toAbsolutePath();
                }
            }
            if (arguments[i].startsWith("-Duser.home=")) {
                userHome = Path.of(arguments[i].substring("-Duser.home=".length()));
            }
        }
        return userHome.resolve(SecureStorage.DEFAULT_FILE);
    }

    private static Path canonical(Path file) {
        try {
            return Files.exists(file) ? file.toRealPath() : file.toAbsolutePath().normalize();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }
}
