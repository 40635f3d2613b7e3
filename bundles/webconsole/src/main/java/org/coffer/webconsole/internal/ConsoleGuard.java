package org.coffer.webconsole.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Set;
import javax.servlet.Filter;
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
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One guard in front of the whole Web Console, an HTTP whiteboard filter on
 * {@code /system/console/*} of every context, the Http Service's included (where the Felix
 * Web Console registers): every response denies framing and caching; a change (any
 * method but GET, HEAD and OPTIONS) to any page must show the console's own origin
 * ({@link SameOrigin}); and the stock pages change nothing (install, update or uninstall
 * bundles, edit configurations, stop the framework) unless {@code stock.changes} of PID
 * {@code org.coffer.webconsole} is true. Coffer's own page keeps its token besides.
 * <p>
 * Where the launcher gave Coffer's password ({@link CofferSignIn#HASH}), the guard also
 * turns on {@link CofferSignIn}, so that the console signs in with it and nothing else.
 */
@Component(service = Filter.class, configurationPid = ConsoleGuard.PID, property = {
    "osgi.http.whiteboard.filter.pattern=/system/console/*",
    "osgi.http.whiteboard.context.select=(|(osgi.http.whiteboard.context.name=*)"
            + "(osgi.http.whiteboard.context.httpservice=*))",
    "service.ranking:Integer=1000"})
@Designate(ocd = ConsoleGuard.Config.class)
public final class ConsoleGuard implements Filter {

    static final String PID = "org.coffer.webconsole";
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

    /** Coffer's page, {@code <console>/coffer} and below, known by the path the container decoded. */
    private static boolean cofferPage(HttpServletRequest request) {
        String info = request.getPathInfo();
        String label = "/" + CofferPlugin.LABEL;
        return info != null && (info.equals(label) || info.startsWith(label + "/"));
    }
}
