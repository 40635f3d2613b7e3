package org.coffer.webconsole.internal;

import java.util.Locale;
import java.util.Set;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpServletResponseWrapper;

/**
 * The response a page of the console writes to, keeping what {@link ConsoleGuard} set: a
 * page may not allow caching or framing again. A Content-Security-Policy of a page's own
 * (Coffer's) replaces the guard's only when it forbids framing too.
 */
final class GuardedResponse extends HttpServletResponseWrapper {

    private static final Set<String> KEPT = Set.of("x-frame-options", "cache-control", "pragma", "expires");

    GuardedResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public void setHeader(String name, String value) {
        if (allowed(name, value)) {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (allowed(name, value)) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setDateHeader(String name, long date) {
        if (allowed(name, "")) {
            super.setDateHeader(name, date);
        }
    }

    @Override
    public void addDateHeader(String name, long date) {
        if (allowed(name, "")) {
            super.addDateHeader(name, date);
        }
    }

    private static boolean allowed(String name, String value) {
        String header = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (header.equals("content-security-policy")) {
            return value != null && value.contains(ConsoleGuard.FRAMING);
        }
        return !KEPT.contains(header);
    }
}
