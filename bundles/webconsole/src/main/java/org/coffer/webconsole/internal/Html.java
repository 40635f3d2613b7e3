package org.coffer.webconsole.internal;

import java.io.PrintWriter;

/** Writes the page's markup: every text escaped, every form posted with the CSRF token. */
final class Html {

    private final PrintWriter out;
    private final String action;
    private final String token;
    private int ids;

    /**
     * @param out where the markup goes
     * @param action the plugin's address, where every form posts
     * @param token the CSRF token of the signed-in user
     */
    Html(PrintWriter out, String action, String token) {
        this.out = out;
        this.action = action;
        this.token = token;
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<': escaped.append("&lt;"); break;
                case '>': escaped.append("&gt;"); break;
                case '&': escaped.append("&amp;"); break;
                case '"': escaped.append("&quot;"); break;
                case '\'': escaped.append("&#39;"); break;
                default: escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** Writes markup as given: only for constant text of this plugin. */
    Html raw(String markup) {
        out.print(markup);
        return this;
    }

    Html text(String text) {
        out.print(escape(text));
        return this;
    }

    /** Writes {@code <tag attributes>text</tag>}, the text escaped. */
    Html element(String tag, String attributes, String text) {
        out.print("<" + tag + (attributes.isEmpty() ? "" : " " + attributes) + ">");
        out.print(escape(text));
        out.print("</" + tag + ">");
        return this;
    }

    /** Opens a form that posts the action with the token; {@code cssClass} names what it does. */
    Html form(String actionName, String cssClass) {
        out.print("<form method=\"post\" action=\"" + escape(action) + "\" class=\"" + escape(cssClass)
                + "\" autocomplete=\"off\">");
        hidden(CsrfGuard.FIELD, token);
        hidden("action", actionName);
        return this;
    }

    Html endForm() {
        out.print("</form>");
        return this;
    }

    Html hidden(String name, String value) {
        out.print("<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">");
        return this;
    }

    /** A labelled input; a password field never carries a value back. */
    Html input(String type, String name, String label, String value, String extra) {
        String id = nextId(name);
        out.print("<label for=\"" + id + "\">" + escape(label) + "</label> ");
        out.print("<input type=\"" + type + "\" id=\"" + id + "\" name=\"" + escape(name) + "\""
                + ("password".equals(type) ? " autocomplete=\"new-password\"" : " value=\"" + escape(value) + "\"")
                + (extra.isEmpty() ? "" : " " + extra) + "> ");
        return this;
    }

    Html checkbox(String name, String label, String extra) {
        String id = nextId(name);
        out.print("<input type=\"checkbox\" id=\"" + id + "\" name=\"" + escape(name) + "\""
                + (extra.isEmpty() ? "" : " " + extra) + "> ");
        out.print("<label for=\"" + id + "\">" + escape(label) + "</label> ");
        return this;
    }

    /** A labelled choice of the options; {@code selected} is preselected. */
    Html select(String name, String label, Iterable<String> options, String selected) {
        String id = nextId(name);
        out.print("<label for=\"" + id + "\">" + escape(label) + "</label> ");
        out.print("<select id=\"" + id + "\" name=\"" + escape(name) + "\">");
        for (String option : options) {
            out.print("<option" + (option.equals(selected) ? " selected" : "") + ">" + escape(option) + "</option>");
        }
        out.print("</select> ");
        return this;
    }

    Html button(String label, String accessibleName) {
        out.print("<button type=\"submit\" class=\"ui-state-default ui-corner-all\""
                + (accessibleName.isEmpty() ? "" : " aria-label=\"" + escape(accessibleName) + "\"") + ">"
                + escape(label) + "</button>");
        return this;
    }

    private String nextId(String name) {
        return "coffer-" + name.replaceAll("[^A-Za-z0-9-]", "-") + "-" + (++ids);
    }
}
