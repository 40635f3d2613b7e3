package org.coffer.format.properties.internal;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coffer.CofferException;
import org.coffer.ConfigDocument;
import org.coffer.ConfigFormatException;
import org.coffer.ConfigValue;
import org.coffer.SecretReference;
import org.coffer.spi.ConfigFormat;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * {@code *.properties} and Karaf {@code *.cfg} files, read as {@link java.util.Properties}
 * reads them, with each {@code ENC(...)} in a value turned into an {@code enc}
 * reference that the master password decrypts.
 */
@Component(service = ConfigFormat.class, configurationPid = "org.coffer.format.properties",
        property = "service.ranking:Integer=100")
@Designate(ocd = PropertiesConfig.class)
public final class PropertiesFormat implements ConfigFormat {

    /** The only section of a properties document. */
    static final String SECTION = "";
    private static final Pattern ENC = Pattern.compile("ENC\\(([^)]*)\\)");

    @Override
    public String name() {
        return "properties";
    }

    @Override
    public boolean accepts(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".properties") || name.endsWith(".cfg");
    }

    @Override
    public ConfigDocument read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            lines = readLatin1(file);
        } catch (IOException e) {
            throw new CofferException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, ConfigValue> options = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int first = i;
            String line = lines.get(i).stripLeading();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            StringBuilder logical = new StringBuilder(line);
            while (continues(logical) && i + 1 < lines.size()) {
                logical.setLength(logical.length() - 1);
                logical.append(lines.get(++i).stripLeading());
            }
            if (continues(logical)) {
                logical.setLength(logical.length() - 1);
            }
            parse(file, first + 1, logical.toString(), options);
        }
        return new PropertiesDocument(file, options);
    }

    private static List<String> readLatin1(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new CofferException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** An odd number of trailing backslashes continues the line. */
    private static boolean continues(CharSequence line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static void parse(Path file, int line, String logical, Map<String, ConfigValue> options) {
        int keyEnd = 0;
        while (keyEnd < logical.length()) {
            char c = logical.charAt(keyEnd);
            if (c == '\\') {
                keyEnd += 2;
                continue;
            }
            if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                break;
            }
            keyEnd++;
        }
        keyEnd = Math.min(keyEnd, logical.length());
        int valueStart = keyEnd;
        while (valueStart < logical.length() && Character.isWhitespace(logical.charAt(valueStart))) {
            valueStart++;
        }
        if (valueStart < logical.length() && (logical.charAt(valueStart) == '=' || logical.charAt(valueStart) == ':')) {
            valueStart++;
            while (valueStart < logical.length() && Character.isWhitespace(logical.charAt(valueStart))) {
                valueStart++;
            }
        }
        String key = unescape(file, line, logical.substring(0, keyEnd));
        String value = unescape(file, line, logical.substring(valueStart));
        List<SecretReference> references = new ArrayList<>();
        Matcher matcher = ENC.matcher(value);
        while (matcher.find()) {
            references.add(new SecretReference("enc", matcher.group(1), matcher.start(), matcher.end()));
        }
        options.put(key, new ConfigValue(value, line, references));
    }

    private static String unescape(Path file, int line, String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 't':
                    out.append('\t');
                    break;
                case 'n':
                    out.append('\n');
                    break;
                case 'r':
                    out.append('\r');
                    break;
                case 'f':
                    out.append('\f');
                    break;
                case 'u':
                    if (i + 5 > text.length()) {
                        throw new ConfigFormatException(file, line, 0, "four hex digits after \\u");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    } catch (NumberFormatException e) {
                        throw new ConfigFormatException(file, line, 0, "four hex digits after \\u");
                    }
                    i += 4;
                    break;
                default:
                    out.append(next);
            }
        }
        return out.toString();
    }

    /** The options of a properties file, in file order. */
    private static final class PropertiesDocument implements ConfigDocument {
        private final Path file;
        private final Map<String, ConfigValue> options;

        PropertiesDocument(Path file, Map<String, ConfigValue> options) {
            this.file = file;
            this.options = java.util.Collections.unmodifiableMap(options);
        }

        @Override
        public Path file() {
            return file;
        }

        @Override
        public List<String> sections() {
            return List.of(SECTION);
        }

        @Override
        public Map<String, ConfigValue> options(String section) {
            return SECTION.equals(section) ? options : Map.of();
        }
    }
}
