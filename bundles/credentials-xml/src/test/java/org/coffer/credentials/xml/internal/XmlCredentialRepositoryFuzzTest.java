package org.coffer.credentials.xml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.coffer.CofferException;
import org.coffer.CredentialEnvironment;
import org.coffer.crypto.MasterKey;
import org.coffer.crypto.internal.PasswordMasterKey;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any bytes as credentials.xml, loaded as the repository loads it (parsed, checked,
 * clear text encrypted and saved): a repository, or a {@link CofferException}. What
 * loaded, and what the load saved, loads again with the same content, and each password
 * decrypts or fails naming the file and its credential.
 */
class XmlCredentialRepositoryFuzzTest {

    @TempDir
    Path dir;

    /** The master password of the seed files, so that their encrypted values decrypt. */
    private final MasterKey key = new PasswordMasterKey("the fuzz test's master password",
            XmlCredentialRepositoryTest.SEED_MASTER::toCharArray);

    @FuzzTest(maxDuration = "60s")
    void load(byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve("credentials.xml"), bytes);
        XmlCredentialRepository loaded;
        try {
            loaded = new XmlCredentialRepository(file, key);
        } catch (CofferException refused) {
            return;
        }
        assertThat(content(new XmlCredentialRepository(file, key))).isEqualTo(content(loaded));
    }

    /** The password, or, for a value damaged in a way only its decryption finds, that it fails naming file and id. */
    private static String password(XmlCredentialRepository repository, String environment, String id) {
        try {
            return repository.get(environment, id).orElseThrow().secret().reveal();
        } catch (CofferException damaged) {
            assertThat(damaged).hasMessageContaining(repository.file().toString())
                    .hasMessageContaining("'" + id + "'").hasMessageContaining("'" + environment + "'");
            return "does not decrypt";
        }
    }

    /** Each environment's id and description, then its credentials' ids, users and passwords, in file order. */
    private static List<List<String>> content(XmlCredentialRepository repository) {
        List<List<String>> content = new ArrayList<>();
        for (CredentialEnvironment environment : repository.environments()) {
            content.add(List.of(environment.id(), String.valueOf(environment.description())));
            environment.users().forEach((id, user) -> content.add(List.of(id, user,
                    password(repository, environment.id(), id))));
        }
        return content;
    }
}
