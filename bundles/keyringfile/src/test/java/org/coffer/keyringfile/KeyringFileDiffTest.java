package org.coffer.keyringfile;

import static org.assertj.core.api.Assertions.assertThat;

import org.coffer.files.IniFile;
import org.junit.jupiter.api.Test;

class KeyringFileDiffTest {

    @Test
    void aValueIsComparedAsAReadGivesItBack() {
        // base64 ends a value with a newline, which a read of the file strips
        IniFile read = ini("\ndg==");
        IniFile written = ini("\ndg==\n");
        assertThat(KeyringFileDiff.between(read, written).isEmpty()).isTrue();
        assertThat(KeyringFileDiff.between(ini("\nxx=="), written).undoneIn(read).isEmpty()).isTrue();
        assertThat(KeyringFileDiff.between(ini("\nxx=="), written).undoneIn(ini("\nxx==")).isEmpty()).isFalse();
    }

    private static IniFile ini(String value) {
        IniFile ini = new IniFile();
        ini.set("svc", "alice", value);
        return ini;
    }
}
