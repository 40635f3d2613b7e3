package org.coffer.webconsole.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coffer.AppConfiguration;
import org.coffer.CofferException;
import org.coffer.ConfigDocument;
import org.coffer.ConfigValue;
import org.coffer.CredentialEnvironment;
import org.coffer.CredentialProvider;
import org.coffer.CredentialRepository;
import org.coffer.Secret;
import org.coffer.SecretReference;

/** The app.config and credentials.xml Coffer reads: where, the last error, and what does not resolve yet. */
final class FilesView {

    private FilesView() {
    }

    static void render(Html html, CredentialProvider provider, AppConfiguration appConfig,
            CredentialRepository credentials) {
        html.raw("<section aria-labelledby=\"coffer-files\"><h2 id=\"coffer-files\">app.config and credentials.xml"
                + "</h2>");
        appConfig(html, provider, appConfig);
        credentials(html, credentials);
        html.raw("</section>");
    }

    private static void appConfig(Html html, CredentialProvider provider, AppConfiguration appConfig) {
        html.raw("<h3>app.config</h3>");
        if (appConfig == null) {
            html.element("p", "class=\"coffer-note\"", "The app.config support (org.coffer.configadmin) is not running.");
            return;
        }
        Optional<Path> file = appConfig.find(System.getenv(), Path.of("").toAbsolutePath());
        appConfig.lastError().ifPresent(e -> html.element("p", "class=\"coffer-error\"", "Last error: " + e));
        if (file.isEmpty()) {
            html.element("p", "class=\"coffer-note\"", "None found: set APP_CONFIG_FILE, or put app.config in the"
                    + " working folder or in ~/.resilient/.");
            return;
        }
        html.raw("<p>").text("File: ").element("code", "class=\"coffer-file\"", file.get().toString()).raw("</p>");
        List<String> unresolved = new ArrayList<>();
        int references = 0;
        try {
            ConfigDocument document = appConfig.read(file.get());
            for (String section : document.sections()) {
                for (Map.Entry<String, ConfigValue> option : document.options(section).entrySet()) {
                    for (SecretReference reference : option.getValue().references()) {
                        references++;
                        String problem = problem(provider, reference);
                        if (problem != null) {
                            unresolved.add("[" + section + "] " + option.getKey() + " (line " + option.getValue().line()
                                    + "): " + reference + " " + problem);
                        }
                    }
                }
            }
        } catch (CofferException | IllegalArgumentException e) {
            html.element("p", "class=\"coffer-error\"", e.getMessage());
            return;
        }
        html.element("p", "", references + " references, " + unresolved.size() + " not resolved yet.");
        list(html, unresolved, "coffer-unresolved");
    }

    /** @return why the reference does not resolve, or {@code null} when it does; never its value */
    private static String problem(CredentialProvider provider, SecretReference reference) {
        try {
            Optional<Secret> value = SecretReference.KEYRING.equals(reference.scheme())
                    ? provider.get(reference.keyringService(), reference.keyringUsername())
                    : provider.resolve(reference.toString());
            value.ifPresent(Secret::destroy);
            return value.isPresent() ? null : "is not set";
        } catch (CofferException | IllegalArgumentException e) {
            return "cannot be read: " + e.getMessage();
        }
    }

    private static void credentials(Html html, CredentialRepository credentials) {
        html.raw("<h3>credentials.xml</h3>");
        if (credentials == null) {
            html.element("p", "class=\"coffer-note\"", "The credentials.xml support (org.coffer.credentials.xml) is not"
                    + " running.");
            return;
        }
        html.raw("<p>").text("File: ").element("code", "class=\"coffer-file\"", credentials.file().toString())
                .raw("</p>");
        try {
            List<CredentialEnvironment> environments = credentials.environments();
            List<String> lines = new ArrayList<>();
            for (CredentialEnvironment environment : environments) {
                lines.add(environment.id() + ": " + environment.users().size() + " credentials");
            }
            html.element("p", "", environments.size() + " environments.");
            list(html, lines, "coffer-environments");
        } catch (CofferException | IllegalArgumentException e) {
            html.element("p", "class=\"coffer-error\"", "Last error: " + e.getMessage());
        }
    }

    private static void list(Html html, List<String> items, String cssClass) {
        if (items.isEmpty()) {
            return;
        }
        html.raw("<ul class=\"" + cssClass + "\">");
        items.forEach(item -> html.element("li", "", item));
        html.raw("</ul>");
    }
}
