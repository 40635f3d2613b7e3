package org.coffer.format.properties.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.coffer.ConfigDocument;
import org.coffer.ConfigFormatException;
import org.coffer.ConfigValue;
import org.coffer.SecretReference;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any bytes as a properties file: options whose {@code ENC(...)} references point at
 * their text, or a {@link ConfigFormatException}.
 */
class PropertiesFormatFuzzTest {

    @TempDir
    Path dir;

    private final PropertiesFormat format = new PropertiesFormat();

    @FuzzTest(maxDuration = "60s")
    void read(byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve("app.properties"), bytes);
        ConfigDocument document;
        try {
            document = format.read(file);
        } catch (ConfigFormatException refused) {
            return;
        }
        for (ConfigValue value : document.options(PropertiesFormat.SECTION).values()) {
            for (SecretReference reference : value.references()) {
                assertThat(value.raw().substring(reference.start(), reference.end()))
                        .isEqualTo("ENC(" + reference.path() + ")");
            }
        }
    }
}
