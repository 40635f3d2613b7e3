package org.coffer.webconsole.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.coffer.BackendInfo;
import org.coffer.CofferException;
import org.coffer.KeyringAdmin;
import org.coffer.KeyringEntry;

/** The entries of each backend, services and usernames only: filter, delete, set. Never a value. */
final class EntriesView {

    /** More rows than this per backend are left to the filter. */
    static final int ROWS = 500;

    private EntriesView() {
    }

    static void render(Html html, KeyringAdmin admin, String filter) {
        html.raw("<section aria-labelledby=\"coffer-entries\"><h2 id=\"coffer-entries\">Entries</h2>");
        html.raw("<form method=\"get\" class=\"coffer-filter\" role=\"search\">")
                .input("search", "filter", "Filter by service or username", filter, "")
                .button("Filter", "").raw("</form>");
        List<BackendInfo> backends;
        try {
            backends = admin.backends();
        } catch (CofferException e) {
            html.element("p", "class=\"coffer-error\" role=\"alert\"", e.getMessage()).raw("</section>");
            return;
        }
        for (BackendInfo backend : backends) {
            backend(html, admin, backend, filter.toLowerCase(Locale.ROOT));
        }
        set(html, backends);
        html.raw("</section>");
    }

    private static void backend(Html html, KeyringAdmin admin, BackendInfo backend, String filter) {
        html.element("h3", "", backend.name());
        if (backend.locked()) {
            html.element("p", "class=\"coffer-note\"", "Locked: unlock it above to see its entries.");
            return;
        }
        List<KeyringEntry> entries;
        try {
            entries = admin.entries(backend.name());
        } catch (CofferException | IllegalArgumentException | UnsupportedOperationException e) {
            html.element("p", "class=\"coffer-note\"", e.getMessage());
            return;
        }
        List<KeyringEntry> shown = new ArrayList<>();
        for (KeyringEntry entry : entries) {
            if (filter.isEmpty() || entry.service().toLowerCase(Locale.ROOT).contains(filter)
                    || entry.username().toLowerCase(Locale.ROOT).contains(filter)) {
                shown.add(entry);
            }
        }
        if (shown.isEmpty()) {
            html.element("p", "class=\"coffer-note\"", entries.isEmpty() ? "No entries." : "No entry matches.");
            return;
        }
        html.raw("<table class=\"nicetable coffer-entries\" data-backend=\"" + Html.escape(backend.name())
                + "\"><thead><tr><th scope=\"col\">Service</th><th scope=\"col\">Username</th>"
                + "<th scope=\"col\">Delete</th></tr></thead><tbody>");
        for (KeyringEntry entry : shown.subList(0, Math.min(ROWS, shown.size()))) {
            String name = entry.service() + " / " + entry.username();
            html.raw("<tr class=\"coffer-entry\" data-service=\"" + Html.escape(entry.service()) + "\" data-username=\""
                    + Html.escape(entry.username()) + "\">").element("td", "", entry.service())
                    .element("td", "", entry.username()).raw("<td>");
            html.form("delete", "coffer-delete").hidden("backend", backend.name()).hidden("service", entry.service())
                    .hidden("username", entry.username())
                    .checkbox("confirm", "Yes, delete " + name + " from " + backend.name(), "required")
                    .button("Delete", "Delete " + name).endForm();
            html.raw("</td></tr>");
        }
        html.raw("</tbody></table>");
        if (shown.size() > ROWS) {
            html.element("p", "class=\"coffer-note\"", (shown.size() - ROWS) + " more; narrow the filter to see them.");
        }
    }

    private static void set(Html html, List<BackendInfo> backends) {
        List<String> names = new ArrayList<>();
        String active = "";
        for (BackendInfo backend : backends) {
            if (!backend.locked()) {
                names.add(backend.name());
            }
            if (backend.active()) {
                active = backend.name();
            }
        }
        html.raw("<h3 id=\"coffer-set\">Set a secret</h3>");
        if (names.isEmpty()) {
            html.element("p", "class=\"coffer-note\"", "No unlocked backend can store it.");
            return;
        }
        html.form("set", "coffer-set").select("backend", "Backend", names, active)
                .input("text", "service", "Service", "", "required")
                .input("text", "username", "Username", "", "required")
                .input("password", "secret", "Secret", "", "required")
                .input("password", "confirm", "Repeat the secret", "", "required")
                .button("Set", "").endForm();
    }
}
