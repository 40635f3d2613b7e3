package org.coffer.configadmin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.coffer.ConfigDocument;
import org.coffer.format.ini.internal.AppConfigFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceTokensTest {

    @TempDir
    Path dir;

    @Test
    void turnsAppConfigReferencesIntoTokensAndResolvesThem() throws Exception {
        Path file = dir.resolve("app.config");
        Files.writeString(file, "[resilient]\nkey = ^resilient_secret\nurl = https://${HOST}/^{path/token}?x=1\nplain = 50% off\n");
        ConfigDocument document = new AppConfigFormat().read(file);
        String key = ReferenceTokens.tokenize(document.options("resilient").get("key"));
        String url = ReferenceTokens.tokenize(document.options("resilient").get("url"));
        assertThat(key).isEqualTo("$[keyring:_/resilient_secret]");
        assertThat(url).isEqualTo("https://$[env:HOST]/$[keyring:_/path%2Ftoken]?x=1");
        assertThat(ReferenceTokens.tokenize(document.options("resilient").get("plain"))).isEqualTo("50% off");

        Map<String, String> values = Map.of("keyring:_/resilient_secret", "s3cr3t $1 \\", "env:HOST", "example.com");
        assertThat(ReferenceTokens.resolve(key, r -> Optional.ofNullable(values.get(r)))).isEqualTo("s3cr3t $1 \\");
        assertThat(ReferenceTokens.resolve(url, r -> Optional.ofNullable(values.get(r))))
                .as("a reference that finds nothing is left as written")
                .isEqualTo("https://example.com/$[keyring:_/path%2Ftoken]?x=1");
        assertThat(ReferenceTokens.hasToken("no $ tokens [here]")).isFalse();
    }

    @Test
    void findsTheFileAsResilientDoes() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home/.resilient")).getParent();
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        assertThat(AppConfigLocation.locate("", Map.of(), cwd, home)).isEmpty();
        Files.writeString(home.resolve(".resilient/app.config"), "[resilient]\n");
        assertThat(AppConfigLocation.locate("", Map.of(), cwd, home)).contains(home.resolve(".resilient/app.config"));
        Files.writeString(cwd.resolve("app.config"), "[resilient]\n");
        assertThat(AppConfigLocation.locate("", Map.of(), cwd, home)).contains(cwd.resolve("app.config"));
        assertThat(AppConfigLocation.locate("", Map.of("APP_CONFIG_FILE", "/etc/a.config"), cwd, home))
                .contains(Path.of("/etc/a.config"));
        assertThat(AppConfigLocation.locate("/opt/b.config", Map.of("APP_CONFIG_FILE", "/etc/a.config"), cwd, home))
                .contains(Path.of("/opt/b.config"));
    }
}
