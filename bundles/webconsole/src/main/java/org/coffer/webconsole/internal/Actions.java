package org.coffer.webconsole.internal;

import java.util.Arrays;
import org.coffer.KeyringAdmin;
import org.coffer.Secret;

/**
 * The changes the page's forms post, each through {@link KeyringAdmin} as the plugin's own
 * bundle, so that the access policy and the audit see the Web Console. A password is
 * read once from the form and never written back to a page.
 */
final class Actions {

    private final KeyringAdmin admin;
    private final Migration migration;

    Actions(KeyringAdmin admin, Migration migration) {
        this.admin = admin;
        this.migration = migration;
    }

    /**
     * @return what happened, for the page the browser is sent back to
     * @throws IllegalArgumentException if the form is incomplete or unknown
     * @throws org.coffer.CofferException as the provider refuses or fails
     */
    String perform(FormBody form) {
        String action = required(form, "action");
        switch (action) {
            case "pin": {
                String backend = required(form, "backend");
                admin.use(backend);
                return "Pinned " + backend + ": writes go to it.";
            }
            case "unpin":
                admin.useAutomatic();
                return "Removed the pin: writes go to the highest ranking backend.";
            case "lock": {
                String backend = required(form, "backend");
                admin.lock(backend);
                return "Locked " + backend + ".";
            }
            case "unlock":
                return unlock(form);
            case "set":
                return set(form);
            case "delete":
                return delete(form);
            case "migrate":
                return migrate(form);
            default:
                throw new IllegalArgumentException("The page knows no action '" + action + "'");
        }
    }

    private String unlock(FormBody form) {
        String backend = required(form, "backend");
        char[] password = form.secret("password");
        if (password.length == 0) {
            throw new IllegalArgumentException("Type the password of " + backend);
        }
        if (form.text("confirm").isPresent() && !Arrays.equals(password, form.secret("confirm"))) {
            throw new IllegalArgumentException("The two passwords differ; " + backend + " is still locked");
        }
        try (Secret secret = Secret.of(password)) {
            admin.unlock(backend, secret);
        }
        return "Unlocked " + backend + ".";
    }

    private String set(FormBody form) {
        String backend = required(form, "backend");
        String service = required(form, "service");
        String username = required(form, "username");
        char[] value = form.secret("secret");
        if (value.length == 0) {
            throw new IllegalArgumentException("Type the secret of " + service + " / " + username);
        }
        if (!Arrays.equals(value, form.secret("confirm"))) {
            throw new IllegalArgumentException("The two secrets differ; nothing was stored");
        }
        try (Secret secret = Secret.of(value)) {
            admin.set(backend, service, username, secret);
        }
        return "Stored the secret of " + service + " / " + username + " in " + backend + ".";
    }

    private String delete(FormBody form) {
        String backend = required(form, "backend");
        String service = required(form, "service");
        String username = required(form, "username");
        if (!form.checked("confirm")) {
            throw new IllegalArgumentException("Tick the box to confirm deleting " + service + " / " + username);
        }
        return admin.delete(backend, service, username) ? "Deleted " + service + " / " + username + " from " + backend + "."
                : backend + " has no entry " + service + " / " + username + ".";
    }

    private String migrate(FormBody form) {
        String from = required(form, "from");
        String to = required(form, "to");
        if (from.equals(to)) {
            throw new IllegalArgumentException("Migrating needs two different backends");
        }
        String refusal = migration.start(from, to, form.checked("delete"));
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        return "Migrating from " + from + " to " + to + "; each copy is read back before the next.";
    }

    private static String required(FormBody form, String field) {
        return form.text(field).orElseThrow(() -> new IllegalArgumentException("The form lacks its " + field));
    }
}
