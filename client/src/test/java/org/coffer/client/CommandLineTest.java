package org.coffer.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

    @TempDir
    Path folder;

    @Test
    void readsWhatBinCofferWasAskedToDo() {
        assertThat(CommandLine.parse(new String[0], true).kind).isEqualTo(CommandLine.Kind.SHELL);
        assertThat(CommandLine.parse(new String[0], false).kind).isEqualTo(CommandLine.Kind.SCRIPT_STDIN);
        assertThat(CommandLine.parse(new String[] {"run"}, false).kind).isEqualTo(CommandLine.Kind.SERVICE);
        assertThat(CommandLine.parse(new String[] {"--help"}, false).kind).isEqualTo(CommandLine.Kind.HELP);
        assertThat(CommandLine.parse(new String[] {"agent", "stop"}, false).kind).isEqualTo(CommandLine.Kind.AGENT_STOP);
        assertThat(CommandLine.parse(new String[] {"agent", "restart"}, false).kind).isEqualTo(CommandLine.Kind.WRONG);
        assertThat(CommandLine.parse(new String[] {"-c"}, false).kind).isEqualTo(CommandLine.Kind.WRONG);
        CommandLine command = CommandLine.parse(new String[] {"--no-agent", "keyring:get", "--json", "s", "u"}, false);
        assertThat(command.kind).isEqualTo(CommandLine.Kind.COMMAND);
        assertThat(command.noAgent).isTrue();
        assertThat(command.words).containsExactly("keyring:get", "--json", "s", "u");
        CommandLine onDemand = CommandLine.parse(new String[] {"--on-demand", "run"}, true);
        assertThat(onDemand.kind).isEqualTo(CommandLine.Kind.SERVICE);
        assertThat(onDemand.onDemand).isTrue();
        assertThat(CommandLine.parse(new String[] {"run"}, false).onDemand).isFalse();
        assertThat(CommandLine.parse(new String[] {"--on-demand"}, true).kind).isEqualTo(CommandLine.Kind.WRONG);
        assertThat(CommandLine.parse(new String[] {"--on-demand", "keyring:get", "s", "u"}, false).error)
                .contains("--on-demand goes with run");
    }

    @Test
    void agentSettingsComeFromTheInstallThenTheUserThenTheEnvironment() throws Exception {
        Path install = Files.createDirectories(folder.resolve("install/etc")).getParent();
        Map<String, String> env = new java.util.HashMap<>(Map.of("XDG_CONFIG_HOME", folder.resolve("config").toString()));
        Places places = new Places(env);
        AgentSettings defaults = AgentSettings.read(install, places, env);
        assertThat(defaults.autostart).isTrue();
        assertThat(defaults.idle).isEqualTo(java.time.Duration.ofMinutes(15));
        assertThat(defaults.cache).isEqualTo(java.time.Duration.ofMinutes(10));
        Files.writeString(install.resolve("etc/agent.properties"), "idle = 1h\ncache = 30\n");
        Files.createDirectories(places.userEtc());
        Files.writeString(places.userEtc().resolve("agent.properties"), "idle = 90s\n");
        AgentSettings mine = AgentSettings.read(install, places, env);
        assertThat(mine.idle).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(mine.cache).isEqualTo(java.time.Duration.ofMinutes(30));
        env.put(AgentSettings.NO_AUTOSTART, "1");
        assertThat(AgentSettings.read(install, places, env).autostart).isFalse();
        Files.writeString(places.userEtc().resolve("agent.properties"), "idle = soon\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentSettings.read(install, places, env))
                .hasMessageContaining(places.userEtc().resolve("agent.properties") + ": idle = soon is not a duration");
    }

    @Test
    void theWebConsoleGoesWithTheShellOrTheAgentOnly() {
        assertThat(CommandLine.parse(new String[] {"--web"}, true).web).isTrue();
        assertThat(CommandLine.parse(new String[] {"--web"}, true).kind).isEqualTo(CommandLine.Kind.SHELL);
        assertThat(CommandLine.parse(new String[] {"--web", "run"}, false).kind).isEqualTo(CommandLine.Kind.SERVICE);
        assertThat(CommandLine.parse(new String[] {"--web", "run"}, false).web).isTrue();
        assertThat(CommandLine.parse(new String[] {"run"}, false).web).isFalse();
        CommandLine command = CommandLine.parse(new String[] {"--web", "keyring:get", "s", "u"}, false);
        assertThat(command.kind).isEqualTo(CommandLine.Kind.WRONG);
        assertThat(command.error).contains("--web goes with the shell");
        assertThat(CommandLine.parse(new String[] {"--web"}, false).kind).isEqualTo(CommandLine.Kind.WRONG);
    }

    @Test
    void theSecretServiceGoesWithAnExplicitRunOnly() {
        CommandLine run = CommandLine.parse(new String[] {"--secret-service", "run"}, false);
        assertThat(run.kind).isEqualTo(CommandLine.Kind.SERVICE);
        assertThat(run.secretService).isTrue();
        assertThat(CommandLine.parse(new String[] {"--web", "--secret-service", "run"}, false).secretService).isTrue();
        assertThat(CommandLine.parse(new String[] {"run"}, false).secretService).isFalse();
        for (String[] wrong : List.of(new String[] {"--secret-service"}, new String[] {"--secret-service", "keyring:get",
                "s", "u"}, new String[] {"--on-demand", "--secret-service", "run"})) {
            CommandLine line = CommandLine.parse(wrong, true);
            assertThat(line.kind).as(String.join(" ", wrong)).isEqualTo(CommandLine.Kind.WRONG);
            assertThat(line.error).contains("--secret-service goes with run");
        }
    }

    @Test
    void findsTheUsersFoldersFromTheEnvironment() {
        Places places = new Places(Map.of("HOME", "/home/elsewhere", "XDG_RUNTIME_DIR", "/run/user/7"));
        assertThat(places.home()).isEqualTo(Path.of("/home/elsewhere"));
        assertThat(places.state()).isEqualTo(Path.of("/home/elsewhere/.local/state/coffer"));
        assertThat(places.userEtc()).isEqualTo(Path.of("/home/elsewhere/.config/coffer/etc"));
        assertThat(places.socket().getParent()).isEqualTo(Path.of("/run/user/7/coffer"));
        assertThat(new Places(Map.of("HOME", "/h")).socket()).isEqualTo(Path.of("/h/.local/state/coffer/agent/agent.sock"));
        assertThat(new Places(Map.of("COFFER_STATE", "/srv/s", "XDG_STATE_HOME", "relative")).state())
                .isEqualTo(Path.of("/srv/s"));
        assertThat(new Places(Map.of("HOME", "/h", "XDG_STATE_HOME", "relative")).state())
                .isEqualTo(Path.of("/h/.local/state/coffer"));
    }

    @Test
    void aPrivateFolderIsMadePrivateAndALinkIsRefused() throws Exception {
        Path made = Places.privateFolder(folder.resolve("a/b"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made))).isEqualTo("rwx------");
        Path open = Files.createDirectory(folder.resolve("open"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxrwxrwx")));
        Places.privateFolder(open);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(open))).isEqualTo("rwx------");
        Path link = Files.createSymbolicLink(folder.resolve("link"), open);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Places.privateFolder(link))
                .hasMessageContaining("is not a folder");
    }
}
