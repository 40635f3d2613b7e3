package org.coffer.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentSocketTest {

    @TempDir
    Path folder;

    @Test
    void withoutARuntimeFolderTheSocketIsInThePrivateAgentFolderOfTheState() throws Exception {
        Places places = new Places(Map.of("COFFER_STATE", folder.resolve("state").toString(), "XDG_RUNTIME_DIR", " "));
        AgentSocket agent = new AgentSocket(places);
        assertThat(agent.find()).isNull();
        Path socket = agent.prepare();
        assertThat(socket).isEqualTo(folder.resolve("state/agent/agent.sock"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent()))).isEqualTo("rwx------");
        assertThat(agent.find()).isEqualTo(socket);
        assertThat(new Places(Map.of("XDG_RUNTIME_DIR", "/run/user/7")).runtime()).isEqualTo(Path.of("/run/user/7/coffer"));
    }

    @Test
    void aFolderOthersMayEnterIsRefusedByBothSidesAndLeftAsItIs() throws Exception {
        Places places = new Places(Map.of("COFFER_STATE", folder.resolve("state").toString()));
        Files.createDirectories(places.runtime());
        Files.setPosixFilePermissions(places.runtime(), PosixFilePermissions.fromString("rwxrwxrwx"));
        AgentSocket agent = new AgentSocket(places);
        assertThatThrownBy(agent::prepare).hasMessageContaining("has mode rwxrwxrwx").hasMessageContaining("chmod 700");
        assertThatThrownBy(agent::find).hasMessageContaining("other users may enter it");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(places.runtime()))).isEqualTo("rwxrwxrwx");
    }

    @Test
    void aLinkInPlaceOfTheFolderIsRefused() throws Exception {
        Places places = new Places(Map.of("COFFER_STATE", folder.resolve("state").toString()));
        Files.createDirectories(places.state());
        Path elsewhere = Files.createDirectory(folder.resolve("elsewhere"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(places.runtime(), elsewhere);
        assertThatThrownBy(new AgentSocket(places)::find).hasMessageContaining("is not a folder");
    }

    @Test
    void aStateFolderTooDeepForASocketGetsAShortPrivateFolderThatBothSidesFind() throws Exception {
        Path deep = folder.resolve("x".repeat(60)).resolve("y".repeat(60));
        AgentSocket agent = new AgentSocket(new Places(Map.of("COFFER_STATE", deep.toString())));
        Path socket = agent.prepare();
        assertThat(socket.toString().length()).isLessThanOrEqualTo(107);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent()))).isEqualTo("rwx------");
        assertThat(agent.find()).isEqualTo(socket);
        assertThat(agent.prepare()).as("the next start reuses it").isEqualTo(socket);
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(agent::find).hasMessageContaining("other users may enter it");
        Path replaced = agent.prepare();
        assertThat(replaced).isNotEqualTo(socket);
        assertThat(agent.find()).isEqualTo(replaced);
        Files.delete(socket.getParent());
        Files.delete(replaced.getParent());
    }

    @Test
    void aRequestIsWholeOnlyWhenItsLastByteHasArrived() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Wire.Request(Wire.COMMAND, List.of("keyring:get", "svc", "bob"), Map.of("HOME", "/h"), "/w", false, "f")
                .write(new DataOutputStream(bytes));
        byte[] request = bytes.toByteArray();
        byte[] received = java.util.Arrays.copyOf(request, request.length + 5);
        for (int available = 0; available < request.length; available++) {
            assertThat(Wire.requestLength(received, available)).isEqualTo(-1);
        }
        assertThat(Wire.requestLength(received, received.length)).isEqualTo(request.length);
        byte[] announcing = ByteBuffer.allocate(13).putInt(Wire.MAGIC).put(Wire.COMMAND).putInt(1).putInt((1 << 20) + 1).array();
        assertThatThrownBy(() -> Wire.requestLength(announcing, announcing.length)).hasMessageContaining("a frame of");
        assertThatThrownBy(() -> Wire.requestLength(new byte[] {1, 2, 3, 4}, 4)).hasMessage("not a Coffer client");
    }

    @Test
    void aFrameAnnouncingMoreThanItSendsEndsWithoutTheWholeBuffer() throws IOException {
        byte[] frame = ByteBuffer.allocate(4 + 100).putInt(1 << 20).array();
        assertThatThrownBy(() -> Wire.readBytes(new DataInputStream(new java.io.ByteArrayInputStream(frame))))
                .isInstanceOf(EOFException.class).hasMessageContaining("after 100 of its 1048576 bytes");
        byte[] whole = new byte[4 + 70_000];
        ByteBuffer.wrap(whole).putInt(70_000);
        whole[4 + 69_999] = 7;
        byte[] read = Wire.readBytes(new DataInputStream(new java.io.ByteArrayInputStream(whole)));
        assertThat(read).hasSize(70_000);
        assertThat(read[69_999]).isEqualTo((byte) 7);
    }
}
