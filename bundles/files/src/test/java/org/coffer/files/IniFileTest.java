package org.coffer.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.coffer.ConfigFormatException;
import org.junit.jupiter.api.Test;

class IniFileTest {

    private static final Path FILE = Path.of("/tmp/example.cfg");

    @Test
    void readsContinuationLinesCommentsAndBothDelimiters() {
        IniFile ini = IniFile.parse(FILE, "# comment\n[one]\nKey = \n\tline1\n\tline2\n\t\nother: x = y\n; another\n[two]\nz=1\n");
        assertThat(ini.sections()).containsExactly("one", "two");
        assertThat(ini.get("one", "key")).contains("\nline1\nline2");
        assertThat(ini.get("one", "KEY")).contains("\nline1\nline2");
        assertThat(ini.get("one", "other")).contains("x = y");
        assertThat(ini.get("two", "z")).contains("1");
    }

    @Test
    void inheritsFromDefault() {
        IniFile ini = IniFile.parse(FILE, "[DEFAULT]\nshared = d\n[s]\nown = o\n");
        assertThat(ini.sections()).containsExactly("s");
        assertThat(ini.get("s", "shared")).contains("d");
        assertThat(ini.options("s")).containsOnlyKeys("own");
        assertThat(ini.render()).isEqualTo("[DEFAULT]\nshared = d\n\n[s]\nown = o\n\n");
    }

    @Test
    void rendersLikeRawConfigParser() {
        IniFile ini = new IniFile();
        ini.set("svc", "Alice", "\nYWJj\n");
        assertThat(ini.render()).isEqualTo("[svc]\nalice = \n\tYWJj\n\t\n\n");
        assertThat(IniFile.parse(FILE, ini.render()).get("svc", "alice")).contains("\nYWJj");
    }

    @Test
    void refusesTheReservedDefaultSection() {
        assertThatThrownBy(() -> new IniFile().set("DEFAULT", "a", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }

    @Test
    void reportsTheLineOfAnOptionBeforeAnySection() {
        assertThatThrownBy(() -> IniFile.parse(FILE, "\n\nkey = value\n"))
                .isInstanceOf(ConfigFormatException.class)
                .hasMessageContaining("/tmp/example.cfg, line 3")
                .hasMessageContaining("section header")
                .satisfies(e -> assertThat(((ConfigFormatException) e).line()).isEqualTo(3));
    }

    @Test
    void reportsALineWithoutDelimiter() {
        assertThatThrownBy(() -> IniFile.parse(FILE, "[s]\na = 1\njunk\n"))
                .isInstanceOf(ConfigFormatException.class).hasMessageContaining("line 3");
    }

    @Test
    void reportsDuplicatesAsStrictConfigParserDoes() {
        assertThatThrownBy(() -> IniFile.parse(FILE, "[s]\na = 1\n[t]\n[s]\n"))
                .isInstanceOf(ConfigFormatException.class).hasMessageContaining("line 4").hasMessageContaining("twice");
        assertThatThrownBy(() -> IniFile.parse(FILE, "[s]\na = 1\nA = 2\n"))
                .isInstanceOf(ConfigFormatException.class).hasMessageContaining("line 3");
    }

    @Test
    void tellsOptionsOfSectionsWhoseNamesRunTogetherApart() {
        IniFile ini = IniFile.parse(java.nio.file.Path.of("k.cfg"), "[a]\nb\0c = 1\n[a\0b]\nc = 2\n");
        org.assertj.core.api.Assertions.assertThat(ini.get("a\0b", "c")).contains("2");
        org.assertj.core.api.Assertions.assertThat(ini.line("a\0b", "c")).isEqualTo(4);
    }

    @Test
    void tellsWhichValueTheTextEndsIn() {
        java.util.List<String> carol = java.util.List.of("s", "carol");
        assertThat(IniFile.parse(FILE, "[s]\na = 1\ncarol =").endsInValueOf()).contains(carol);
        assertThat(IniFile.parse(FILE, "[s]\ncarol = \n\tYWJj\n\t\n\n").endsInValueOf()).contains(carol);
        assertThat(IniFile.parse(FILE, "[s]\ncarol = 1\n[t]\n").endsInValueOf()).isEmpty();
        assertThat(IniFile.parse(FILE, "[s]\ncarol = 1\n# note\n").endsInValueOf()).isEmpty();
        assertThat(IniFile.parse(FILE, "").endsInValueOf()).isEmpty();
        assertThat(new IniFile().endsInValueOf()).isEmpty();
    }

    @Test
    void readsTheSizeAWriterRecordedInItsNote(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("k.cfg");
        assertThat(WriterLock.note(file)).isEmpty();
        AtomicFile.write(file, "[s]\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (WriterLock lock = WriterLock.take(file)) {
            lock.note(FileStamp.of(file).id());
        }
        assertThat(FileStamp.sizeIn(WriterLock.note(file))).isEqualTo(4);
        assertThat(FileStamp.sizeIn("")).isEqualTo(-1);
        assertThat(FileStamp.sizeIn("not a stamp at all")).isEqualTo(-1);
    }
}
