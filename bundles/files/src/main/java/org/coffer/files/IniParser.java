package org.coffer.files;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coffer.ConfigFormatException;

/** A port of configparser's {@code _read} with its default settings. */
final class IniParser {
    private final Path file;
    private final IniFile ini = new IniFile();
    private final Set<String> seenSections = new HashSet<>();
    private final Set<List<String>> seenOptions = new HashSet<>();
    private Map<String, List<String>> pending;
    private final Map<Map<String, String>, Map<String, List<String>>> lines = new IdentityHashMap<>();

    IniParser(Path file) {
        this.file = file;
    }

    IniFile parse(String text) {
        String[] all = text.split("\r\n|\r|\n", -1);
        int count = text.endsWith("\n") || text.endsWith("\r") ? all.length - 1 : all.length;
        Map<String, String> current = null;
        String sectionName = null;
        String option = null;
        int indentLevel = 0;
        for (int i = 0; i < count; i++) {
            int lineNo = i + 1;
            String line = all[i];
            String stripped = line.strip();
            boolean comment = stripped.startsWith("#") || stripped.startsWith(";");
            String value = comment ? "" : stripped;
            if (value.isEmpty()) {
                if (!comment && current != null && option != null) {
                    pending.get(option).add("");
                } else if (comment) {
                    ini.tail = null;
                }
                continue;
            }
            int indent = firstNonSpace(line);
            if (current != null && option != null && indent > indentLevel) {
                pending.get(option).add(value);
                ini.tail = List.of(sectionName, option);
                continue;
            }
            indentLevel = indent;
            if (value.startsWith("[") && value.lastIndexOf(']') > 1) {
                sectionName = value.substring(1, value.lastIndexOf(']'));
                current = section(sectionName, lineNo);
                option = null;
                ini.tail = null;
            } else if (current == null) {
                throw new ConfigFormatException(file, lineNo, 1,
                        "expected a section header such as [name] before the first option");
            } else {
                int delimiter = firstDelimiter(value);
                String name = delimiter < 0 ? "" : value.substring(0, delimiter).strip();
                if (name.isEmpty()) {
                    throw new ConfigFormatException(file, lineNo, 1,
                            "expected 'name = value' or 'name: value'");
                }
                option = IniFile.optionKey(name);
                List<String> key = List.of(sectionName, option);
                if (!seenOptions.add(key)) {
                    throw new ConfigFormatException(file, lineNo, 1,
                            "option '" + option + "' appears twice in section [" + sectionName + "]");
                }
                ini.lines.put(key, lineNo);
                List<String> valueLines = new ArrayList<>();
                valueLines.add(value.substring(delimiter + 1).strip());
                pending.put(option, valueLines);
                current.put(option, null);
                ini.tail = key;
            }
        }
        lines.forEach((options, values) -> values.forEach((name, parts) ->
                options.put(name, stripTrailing(String.join("\n", parts)))));
        return ini;
    }

    private Map<String, String> section(String name, int lineNo) {
        Map<String, String> options;
        if (IniFile.DEFAULT_SECTION.equals(name)) {
            options = ini.defaults;
        } else if (ini.sections.containsKey(name)) {
            if (seenSections.contains(name)) {
                throw new ConfigFormatException(file, lineNo, 1, "section [" + name + "] appears twice");
            }
            options = ini.sections.get(name);
        } else {
            options = new LinkedHashMap<>();
            ini.sections.put(name, options);
        }
        if (!IniFile.DEFAULT_SECTION.equals(name)) {
            seenSections.add(name);
        }
        pending = lines.computeIfAbsent(options, o -> new LinkedHashMap<>());
        return options;
    }

    private static int firstDelimiter(String value) {
        int equals = value.indexOf('=');
        int colon = value.indexOf(':');
        if (equals < 0) {
            return colon;
        }
        return colon < 0 ? equals : Math.min(equals, colon);
    }

    private static int firstNonSpace(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (!Character.isWhitespace(line.charAt(i))) {
                return i;
            }
        }
        return 0;
    }

    private static String stripTrailing(String value) {
        return value.stripTrailing();
    }
}
