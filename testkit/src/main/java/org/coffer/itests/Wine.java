package org.coffer.itests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.coffer.test.Processes;

/**
 * Windows programs under Wine for the distribution tests: {@code cmd.exe}, the
 * distribution's {@code .cmd} scripts and the Windows JRE the build unpacked
 * ({@code coffer.windows.jre}), in the run's Wine prefix ({@code coffer.wine.prefix}).
 * Wine's server and helpers are started first with their output discarded, so that a
 * test reading a command's output to its end does not wait for them.
 */
final class Wine {

    static final Path WINE64 = Path.of("/usr/lib/wine/wine64");

    private final Path jre;
    private final Path prefix;

    private Wine(Path jre, Path prefix) {
        this.jre = jre;
        this.prefix = prefix;
    }

    /** @return Wine with the build's Windows JRE; fails under CI=true, skips elsewhere, where either is missing */
    static Wine require() throws Exception {
        String jre = System.getProperty("coffer.windows.jre", "");
        Distribution.require(Files.isExecutable(WINE64) && !jre.isEmpty(),
                "Wine (apt-get install --no-install-recommends wine64; the build then unpacks a Windows JRE)");
        Wine wine = new Wine(Path.of(jre), Files.createDirectories(Path.of(System.getProperty("coffer.wine.prefix"))));
        wine.boot();
        return wine;
    }

    /** @return the Windows name of a path of this machine: Wine's drive Z: is its root */
    static String windows(Path path) {
        return "Z:" + path.toAbsolutePath().toString().replace('/', '\\');
    }

    private void boot() throws Exception {
        for (List<String> command : List.of(List.of(WINE64.resolveSibling("wineserver").toString(), "-p10"),
                List.of(WINE64.toString(), "wineboot"))) {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(
                            Path.of("/dev/null").toFile()));
            builder.environment().putAll(env(Map.of()));
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("Wine did not start in 60 s: " + command);
            }
        }
    }

    /**
     * Writes a {@code .cmd} script that sets Windows variables (Wine sets
     * {@code LOCALAPPDATA} and {@code USERPROFILE} from its prefix, whatever this
     * process's environment says) and then calls a script with the arguments it got.
     *
     * @param at the script to write
     * @param variables the Windows variables, such as {@code LOCALAPPDATA}
     * @param target the script it calls
     * @return the script
     */
    static Path wrapper(Path at, Map<String, String> variables, Path target) throws IOException {
        StringBuilder text = new StringBuilder("@echo off\r\n");
        variables.forEach((name, value) -> text.append("set \"").append(name).append('=').append(value).append("\"\r\n"));
        text.append("call \"").append(windows(target)).append("\" %*\r\nexit /b %ERRORLEVEL%\r\n");
        return Files.writeString(at, text, StandardCharsets.US_ASCII);
    }

    /**
     * Runs a {@code .cmd} script through {@code cmd /c}, as a Windows user runs it.
     *
     * @param script the script
     * @param env variables beside Wine's
     * @param stdin piped to it, or null
     * @param args its arguments
     * @return its exit status and output
     */
    Processes.Result cmd(Path script, Map<String, String> env, String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(WINE64.toString(), "cmd", "/c", windows(script)));
        command.addAll(List.of(args));
        return Processes.run(command, env(env), stdin);
    }

    private Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("WINEPREFIX", prefix.toString());
        env.put("WINEDEBUG", "-all");
        env.put("JAVA_HOME", windows(jre));
        return env;
    }
}
