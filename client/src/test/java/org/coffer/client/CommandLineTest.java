package org.coffer.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
