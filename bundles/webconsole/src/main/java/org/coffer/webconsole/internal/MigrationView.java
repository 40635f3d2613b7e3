package org.coffer.webconsole.internal;

import java.util.ArrayList;
import java.util.List;
import org.coffer.BackendInfo;
import org.coffer.CofferException;
import org.coffer.KeyringAdmin;

/** Choosing a migration, its progress while it runs (coffer.js polls it), then its verification. */
final class MigrationView {

    private MigrationView() {
    }

    static void render(Html html, KeyringAdmin admin, Migration.State state, String statusAddress) {
        html.raw("<section aria-labelledby=\"coffer-migrate\"><h2 id=\"coffer-migrate\">Migrate</h2>");
        html.raw("<div class=\"coffer-migration\" data-status=\"" + Html.escape(statusAddress) + "\""
                + " aria-live=\"polite\">");
        if (state != null) {
            html.raw("<p>").text("From " + state.from + " to " + state.to + ": ");
            html.raw("<progress max=\"" + Math.max(1, state.total) + "\" value=\"" + state.done + "\"></progress> ")
                    .element("span", "class=\"coffer-migration-count\"", state.done + " of " + state.total)
                    .raw("</p>");
            html.element("p", "class=\"coffer-migration-result" + (state.failed ? " coffer-error" : "")
                    + (state.running ? " coffer-running" : "") + "\"", state.running ? "Copying and verifying..."
                    : state.result);
        }
        html.raw("</div>");
        List<String> names = new ArrayList<>();
        try {
            for (BackendInfo backend : admin.backends()) {
                names.add(backend.name());
            }
        } catch (CofferException e) {
            html.element("p", "class=\"coffer-error\" role=\"alert\"", e.getMessage());
        }
        if (names.size() < 2) {
            html.element("p", "class=\"coffer-note\"", "Migrating needs two available backends.").raw("</section>");
            return;
        }
        html.form("migrate", "coffer-migrate").select("from", "From", names, names.get(names.size() - 1))
                .select("to", "To", names, names.get(0))
                .checkbox("delete", "Delete the originals once every copy is verified", "")
                .button("Migrate", "").endForm();
        html.raw("</section>");
    }
}
