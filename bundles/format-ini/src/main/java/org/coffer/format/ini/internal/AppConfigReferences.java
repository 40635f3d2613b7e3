package org.coffer.format.ini.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coffer.SecretReference;

/**
 * The secret references of Resilient's app.config values: {@code ^name} and
 * {@code ^{name}} name a keyring entry of the section's service ({@code _} for section
 * {@code resilient}); {@code $NAME} and {@code ${NAME}} an environment variable. The
 * bracket forms may stand anywhere, several in one value; the bare forms take the whole
 * value.
 */
final class AppConfigReferences {

    /** The section whose keyring service is {@code _}, as Resilient has it. */
    static final String RESILIENT = "resilient";

    private static final Pattern BRACKETS = Pattern.compile("([\\^$])\\{([^{}]+)}");

    private AppConfigReferences() {
    }

    /**
     * @param section the section of the value
     * @param value the value as written
     * @return its references, in order
     */
    static List<SecretReference> find(String section, String value) {
        List<SecretReference> references = new ArrayList<>();
        Matcher matcher = BRACKETS.matcher(value);
        while (matcher.find()) {
            references.add(reference(section, matcher.group(1).charAt(0), matcher.group(2).strip(),
                    matcher.start(), matcher.end()));
        }
        if (references.isEmpty() && value.length() > 1 && (value.charAt(0) == '^' || value.charAt(0) == '$')) {
            String name = value.substring(1).strip();
            if (!name.isEmpty() && name.indexOf('\n') < 0) {
                references.add(reference(section, value.charAt(0), name, 0, value.length()));
            }
        }
        return references;
    }

    private static SecretReference reference(String section, char sigil, String name, int start, int end) {
        if (sigil == '$') {
            return new SecretReference("env", name, start, end);
        }
        return SecretReference.keyring(RESILIENT.equals(section) ? "_" : section, name, start, end);
    }
}
