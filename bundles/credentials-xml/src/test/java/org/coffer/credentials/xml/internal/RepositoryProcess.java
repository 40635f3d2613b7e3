package org.coffer.credentials.xml.internal;

import java.nio.file.Path;
import org.coffer.Secret;
import org.coffer.crypto.internal.MasterPasswordFile;
import org.coffer.crypto.internal.PasswordMasterKey;

/**
 * Another process for {@link XmlCredentialRepositoryTest}: {@code rekey CREDENTIALS
 * PASSWORD STEP} rotates the master password and dies at once after STEP;
 * {@code add CREDENTIALS PASSWORD ENV COUNT} adds credentials named after its pid.
 */
public final class RepositoryProcess {

    static final int HALTED = 3;

    private RepositoryProcess() {
    }

    public static void main(String[] args) {
        Path credentials = Path.of(args[1]);
        MasterPasswordFile master = new MasterPasswordFile(Path.of(args[2]));
        if ("rekey".equals(args[0])) {
            PasswordMasterKey key = new PasswordMasterKey(master, step -> {
                if (step.name().equals(args[3])) {
                    Runtime.getRuntime().halt(HALTED);
                }
            });
            new XmlCredentialRepository(credentials, key).rekey();
            return;
        }
        XmlCredentialRepository repository = new XmlCredentialRepository(credentials, new PasswordMasterKey(master));
        String me = String.valueOf(ProcessHandle.current().pid());
        for (int i = 0; i < Integer.parseInt(args[4]); i++) {
            repository.create(args[3], me + "-" + i, "user-" + i, Secret.of("password-" + i));
        }
    }
}
