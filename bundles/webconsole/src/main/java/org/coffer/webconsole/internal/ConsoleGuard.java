package org.coffer.webconsole.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Set;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.Preprocessor;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One guard in front of the whole Web Console, an HTTP whiteboard {@link Preprocessor}:
 * it runs before every request of the HTTP runtime, whichever context serves it, so it
 * reaches the Felix Web Console's private Http Service context both in Felix HTTP and in
 * Karaf's Pax Web, where a whiteboard filter of another bundle cannot select that
 * context. It guards what lies under {@code /system/console}: every response denies
 * framing and caching; a change (any
 * method but GET, HEAD and OPTIONS) to any page must show the console's own origin
 * ({@link SameOrigin}); and the stock pages change nothing (install, update or uninstall
 * bundles, edit configurations, stop the framework) unless {@code stock.changes} of PID
 * {@code org.coffer.webconsole} is true. Coffer's own page keeps its token besides.
 * <p>
 * Where the launcher gave Coffer's password ({@link CofferSignIn#HASH}), the guard also
 * turns on {@link CofferSignIn}, so that the console signs in with it and nothing else.
 */
@Component(service = Preprocessor.class, configurationPid = ConsoleGuard.PID,
        property = "service.ranking:Integer=1000")
@Designate(ocd = ConsoleGuard.Config.class)
public final class ConsoleGuard implements Preprocessor {

    static final String PID = "org.coffer.webconsole";
    /** Where the Web Console is served; everything below is guarded. */
    static final String CONSOLE = "/system/console";
    static final String FRAMING = "frame-ancestors 'none'";
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    /** What the administrator allows the stock pages of the console. */
    @ObjectClassDefinition(name = "Coffer Web Console guard", description = "What the stock pages of the Web Console"
            + " may change; every change must come from the console's own origin.")
    public @interface Config {
        @AttributeDefinition(description = "Whether the stock pages may change the framework: install, start,"
                + " stop, update and uninstall bundles, edit configurations, stop or restart. Off by default:"
                + " the console serves Coffer's page and reads the rest.")
        boolean stock_changes() default false;
    }

    private final boolean stockChanges;

    @Activate
    public ConsoleGuard(Config config, ComponentContext component, BundleContext context) {
        this(config.stock_changes());
        if (context.getProperty(CofferSignIn.HASH) != null) {
            component.enableComponent(CofferSignIn.class.getName());
        }
    }

    ConsoleGuard(boolean stockChanges) {
        this.stockChanges = stockChanges;
    }

    @Override
    public void init(javax.servlet.FilterConfig config) {
        // everything comes from the component's configuration
    }

    @Override
    public void destroy() {
        // nothing held
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (!console(request)) {
            chain.doFilter(req, res);
            return;
        }
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy", FRAMING);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        String refusal = refusal(request);
        if (refusal != null) {
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType("text/plain;charset=UTF-8");
            PrintWriter out = response.getWriter();
            out.println(refusal);
            return;
        }
        chain.doFilter(request, new GuardedResponse(response));
    }

    /** @return why the request is refused, or {@code null} when it may go on */
    String refusal(HttpServletRequest request) {
        if (SAFE.contains(request.getMethod())) {
            return null;
        }
        String notOurs = SameOrigin.refusal(request);
        if (notOurs != null) {
            return notOurs;
        }
        if (stockChanges || cofferPage(request)) {
            return null;
        }
        return "The stock pages of this Web Console only show: installing bundles and editing configurations through"
                + " the browser are off. The administrator turns them on with stock.changes = true in"
                + " etc/" + PID + ".cfg.";
    }

    /** @return whether the request is for the console, by the path the container decoded, before any servlet */
    private static boolean console(HttpServletRequest request) {
        String path = path(request);
        return path.equals(CONSOLE) || path.startsWith(CONSOLE + "/");
    }

    /** Coffer's page, {@code <console>/coffer} and below, known by the path the container decoded. */
    private static boolean cofferPage(HttpServletRequest request) {
        String path = path(request);
        String page = CONSOLE + "/" + CofferPlugin.LABEL;
        return path.equals(page) || path.startsWith(page + "/");
    }

    /**
     * The decoded path within the server: a preprocessor runs before a servlet is chosen, so
     * servlet path and path info may not be split yet; the request URI is decoded here and
     * its dot segments removed, so that {@code /x/../system/console} is the console too.
     */
    private static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        if (context != null && !context.isEmpty() && uri.startsWith(context)) {
            uri = uri.substring(context.length());
        }
        try {
            String decoded = java.net.URLDecoder.decode(uri.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8)
                    .replaceAll("/{2,}", "/");
            return java.net.URI.create("http://h").resolve(
                    new java.net.URI(null, null, decoded, null).getRawPath()).normalize().getPath();
        } catch (IllegalArgumentException | java.net.URISyntaxException e) {
            // a path that does not parse is the console's, so that it is guarded, not passed by
            return CONSOLE + "/";
        }
    }
}
