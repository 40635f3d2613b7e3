package org.coffer.webconsole.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URL;
import java.util.Set;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.apache.felix.webconsole.WebConsoleSecurityProvider;
import org.coffer.AppConfiguration;
import org.coffer.CofferException;
import org.coffer.CredentialProvider;
import org.coffer.CredentialRepository;
import org.coffer.KeyringAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The Coffer page of the Felix Web Console ({@code /system/console/coffer}): backends,
 * entries (never values), migration, the configuration files and the audit. The Web
 * Console signs the user in and wraps a GET in its frame; a POST comes here directly and
 * changes something only with this plugin's CSRF token, then sends the browser back.
 */
@Component(service = Servlet.class, property = {"felix.webconsole.label=" + CofferPlugin.LABEL,
    "felix.webconsole.title=Coffer", "felix.webconsole.category=Coffer"})
public final class CofferPlugin extends HttpServlet {

    static final String LABEL = "coffer";
    static final String STATUS = "/" + LABEL + "/migration.json";
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'"
            + " 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";
    private static final long serialVersionUID = 1L;
    private static final Set<String> RESOURCES = Set.of("coffer.js", "coffer.css");

    private final transient CredentialProvider provider;
    private final transient KeyringAdmin admin;
    private final transient CsrfGuard guard = new CsrfGuard();
    private final transient Outcomes outcomes = new Outcomes();
    private final transient Migration migration;
    private final transient Actions actions;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile AppConfiguration appConfiguration;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile CredentialRepository credentials;

    /** Coffer's sign-in, where the launcher turned it on: the page shows its failures. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(webconsole.security.provider.id=coffer)")
    private transient volatile WebConsoleSecurityProvider signIn;

    @Activate
    public CofferPlugin(@Reference CredentialProvider provider, @Reference KeyringAdmin admin) {
        this.provider = provider;
        this.admin = admin;
        this.migration = new Migration(admin);
        this.actions = new Actions(admin, migration);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        migration.close();
    }

    /** Called by the Web Console for every GET: the page's own script and style sheet. */
    public URL getResource(String path) {
        String prefix = "/" + LABEL + "/res/";
        if (path == null || !path.startsWith(prefix) || !RESOURCES.contains(path.substring(prefix.length()))) {
            return null;
        }
        return CofferPlugin.class.getResource("/res/" + path.substring(prefix.length()));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        secure(response);
        if (STATUS.equals(request.getPathInfo())) {
            Migration.State state = migration.state();
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().print(state == null ? "{\"running\":false,\"done\":0,\"total\":0}" : state.json());
            return;
        }
        String root = root(request);
        PrintWriter out = response.getWriter();
        Html html = new Html(out, root, guard.token(request));
        html.raw("<link rel=\"stylesheet\" href=\"" + Html.escape(root) + "/res/coffer.css\">");
        html.raw("<script src=\"" + Html.escape(root) + "/res/coffer.js\" defer></script>");
        html.raw("<div id=\"coffer\" data-app-root=\"" + Html.escape(String.valueOf(request.getAttribute(
                "felix.webconsole.appRoot"))) + "\" data-plugin-root=\"" + Html.escape(root) + "\">");
        Outcomes.Outcome outcome = outcomes.get(request.getParameter("outcome"));
        if (outcome != null) {
            html.element("p", "class=\"coffer-outcome" + (outcome.failed ? " coffer-error" : "") + "\" role=\""
                    + (outcome.failed ? "alert" : "status") + "\"", outcome.message);
        }
        String filter = request.getParameter("filter");
        BackendsView.render(html, admin);
        EntriesView.render(html, admin, filter == null ? "" : filter.strip());
        MigrationView.render(html, admin, migration.state(), root + "/migration.json");
        FilesView.render(html, provider, appConfiguration, credentials);
        WebConsoleSecurityProvider current = signIn;
        AuditView.render(html, admin, current instanceof CofferSignIn ? (CofferSignIn) current : null);
        html.raw("</div>");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        secure(response);
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            response.sendError(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "The page posts forms only");
            return;
        }
        String id;
        try (FormBody form = FormBody.read(request.getInputStream())) {
            String refusal = guard.refusal(request, form.text(CsrfGuard.FIELD).orElse(null));
            if (refusal != null) {
                response.sendError(HttpServletResponse.SC_FORBIDDEN, refusal);
                return;
            }
            try {
                id = outcomes.add(actions.perform(form), false);
            } catch (CofferException | IllegalArgumentException | UnsupportedOperationException e) {
                // the provider's messages name backends and entries, never a value
                id = outcomes.add(e.getMessage(), true);
            }
        } catch (IllegalArgumentException e) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", root(request) + "?outcome=" + id);
    }

    /** Nothing of the page is cached, framed, or allowed to run script that is not this plugin's file. */
    private static void secure(HttpServletResponse response) {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        // "no-referrer" would make the browser send Origin: null with the page's own forms
        response.setHeader("Referrer-Policy", "same-origin");
    }

    /** @return the plugin's address, {@code /system/console/coffer} unless the console moved */
    private static String root(HttpServletRequest request) {
        Object appRoot = request.getAttribute("felix.webconsole.appRoot");
        return (appRoot != null ? appRoot.toString() : request.getContextPath() + request.getServletPath()) + "/"
                + LABEL;
    }
}
