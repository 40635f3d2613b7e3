package org.coffer.webconsole.internal;

import java.util.List;
import java.util.Optional;
import org.coffer.BackendInfo;
import org.coffer.CofferException;
import org.coffer.KeyringAdmin;

/** The backends: ranking, state and viability, with pin, lock and unlock. */
final class BackendsView {

    private BackendsView() {
    }

    static void render(Html html, KeyringAdmin admin) {
        html.raw("<section aria-labelledby=\"coffer-backends\"><h2 id=\"coffer-backends\">Backends</h2>");
        List<BackendInfo> backends;
        Optional<String> pinned;
        try {
            backends = admin.allBackends();
            pinned = admin.pinned();
        } catch (CofferException e) {
            html.element("p", "class=\"coffer-error\" role=\"alert\"", e.getMessage()).raw("</section>");
            return;
        }
        html.raw("<table class=\"nicetable coffer-backends\"><thead><tr><th scope=\"col\">Backend</th>"
                + "<th scope=\"col\">Ranking</th><th scope=\"col\">Active</th><th scope=\"col\">Pinned</th>"
                + "<th scope=\"col\">Locked</th><th scope=\"col\">Viable</th><th scope=\"col\">Change</th>"
                + "</tr></thead><tbody>");
        for (BackendInfo backend : backends) {
            boolean isPinned = pinned.map(backend.name()::equals).orElse(false);
            html.raw("<tr data-backend=\"" + Html.escape(backend.name()) + "\">");
            html.raw("<th scope=\"row\">").text(backend.name());
            if (!backend.description().isEmpty() && !backend.description().equals(backend.name())) {
                html.element("div", "class=\"coffer-description\"", backend.description());
            }
            html.raw("</th>").element("td", "", Integer.toString(backend.ranking()))
                    .element("td", "class=\"coffer-active\"", yes(backend.active()))
                    .element("td", "class=\"coffer-pinned\"", yes(isPinned))
                    .element("td", "class=\"coffer-locked\"", yes(backend.locked()))
                    .element("td", "class=\"coffer-viable\"", backend.viable() ? "yes" : "no: " + backend.reason());
            html.raw("<td>");
            if (backend.viable()) {
                changes(html, backend, isPinned);
            }
            html.raw("</td></tr>");
        }
        html.raw("</tbody></table>");
        if (pinned.isPresent()) {
            html.form("unpin", "coffer-unpin").button("Remove the pin", "").raw(" ")
                    .text("Writes go to the pinned backend " + pinned.get() + "; without the pin the highest"
                            + " ranking viable backend receives them.").endForm();
        }
        html.raw("</section>");
    }

    private static void changes(Html html, BackendInfo backend, boolean pinned) {
        String name = backend.name();
        if (!pinned) {
            html.form("pin", "coffer-pin").hidden("backend", name).button("Pin", "Pin " + name).endForm();
        }
        if (backend.locked()) {
            html.form("unlock", "coffer-unlock").hidden("backend", name)
                    .input("password", "password", (backend.firstPassword() ? "New password for " : "Password for ")
                            + name, "", "required");
            if (backend.firstPassword()) {
                html.input("password", "confirm", "Repeat the new password", "", "required");
            }
            html.button("Unlock", "Unlock " + name).endForm();
        } else {
            html.form("lock", "coffer-lock").hidden("backend", name).button("Lock", "Lock " + name).endForm();
        }
    }

    private static String yes(boolean value) {
        return value ? "yes" : "no";
    }
}
