package org.coffer.webconsole.internal;

import java.util.List;
import org.coffer.AuditEvent;
import org.coffer.CofferException;
import org.coffer.KeyringAdmin;

/** The recent audit events, newest first: which bundle read, wrote, pinned or was refused what. */
final class AuditView {

    static final int ROWS = 50;

    private AuditView() {
    }

    /** @param signIn Coffer's sign-in, whose failures are shown, or {@code null} where the container signs in */
    static void render(Html html, KeyringAdmin admin, CofferSignIn signIn) {
        html.raw("<section aria-labelledby=\"coffer-audit\"><h2 id=\"coffer-audit\">Audit</h2>");
        if (signIn != null) {
            java.time.Instant last = signIn.lastFailure();
            html.element("p", "class=\"coffer-signins\"", signIn.failures() + " failed sign-ins since the console"
                    + " started" + (last == null ? "." : "; the last at " + last + "."));
        }
        List<AuditEvent> events;
        try {
            events = admin.audit(0);
        } catch (CofferException e) {
            html.element("p", "class=\"coffer-error\"", e.getMessage()).raw("</section>");
            return;
        }
        html.raw("<table class=\"nicetable coffer-audit\"><thead><tr><th scope=\"col\">Time</th>"
                + "<th scope=\"col\">Bundle</th><th scope=\"col\">Action</th><th scope=\"col\">Entry</th>"
                + "<th scope=\"col\">Backend</th><th scope=\"col\">Outcome</th></tr></thead><tbody>");
        for (int i = events.size() - 1; i >= Math.max(0, events.size() - ROWS); i--) {
            AuditEvent event = events.get(i);
            html.raw("<tr>").element("td", "", event.time().toString()).element("td", "", event.bundle())
                    .element("td", "", event.action()).element("td", "", event.target())
                    .element("td", "", event.backend()).element("td", "", event.outcome()).raw("</tr>");
        }
        html.raw("</tbody></table></section>");
    }
}
