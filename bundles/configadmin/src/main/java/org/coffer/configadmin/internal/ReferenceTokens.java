package org.coffer.configadmin.internal;

import java.util.Collections;
import java.util.Dictionary;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coffer.ConfigValue;
import org.coffer.SecretReference;

/**
 * The form secret references take in OSGi configurations: {@code $[scheme:path]}, for
 * example {@code $[keyring:service/username]} or {@code $[env:NAME]}. Configurations
 * are stored with these tokens; only what is delivered to a component has them resolved.
 */
final class ReferenceTokens {

    private static final Pattern TOKEN = Pattern.compile("\\$\\[([a-z][a-z0-9+.-]*):([^\\]]*)]");

    private ReferenceTokens() {
    }

    /**
     * @param value a parsed value
     * @return its text with every reference replaced by its token
     */
    static String tokenize(ConfigValue value) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        for (SecretReference reference : value.references()) {
            out.append(value.raw(), at, reference.start()).append("$[").append(reference).append(']');
            at = reference.end();
        }
        return out.append(value.raw().substring(at)).toString();
    }

    /** @return whether the text holds a token */
    static boolean hasToken(String text) {
        return text.contains("$[") && TOKEN.matcher(text).find();
    }

    /** @return whether a String or String[] property of the dictionary holds a token */
    static boolean hasTokens(Dictionary<String, Object> properties) {
        for (String key : Collections.list(properties.keys())) {
            Object value = properties.get(key);
            if (value instanceof String && hasToken((String) value)) {
                return true;
            }
            if (value instanceof String[]) {
                for (String text : (String[]) value) {
                    if (hasToken(text)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Replaces every token whose reference resolves; a token that finds nothing stays
     * as written.
     *
     * @param text the configured text
     * @param resolver resolves {@code scheme:path}
     * @return the text with resolved values
     */
    static String resolve(String text, Function<String, Optional<String>> resolver) {
        Matcher matcher = TOKEN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String reference = matcher.group(1) + ":" + matcher.group(2);
            String replacement = resolver.apply(reference).orElse(matcher.group());
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
