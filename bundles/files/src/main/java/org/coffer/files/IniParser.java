package org.coffer.files;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coffer.ConfigFormatException;

/**
 * A port of configparser's {@code _read} with its default settings, in one pass over the
 * text: a value is stored when its option starts, and only a value that continues on
 * further lines is built up, so a file of many one-line values (a keyring) costs one
 * string per name and value.
 */
final class IniParser {
    private final Path file;
    private final IniFile ini = new IniFile();
    private final Set<String> seenSections = new HashSet<>();

    /** The section and option whose value the lines being read belong to. */
    private Map<String, String> options;
    private String option;
    /** The value so far, once it has more than its first line. */
    private StringBuilder value;

    IniParser(Path file) {
        this.file = file;
    }

    IniFile parse(String text) {
        String sectionName = null;
        String tailSection = null;
        String tailOption = null;
        int indentLevel = 0;
        int length = text.length();
        int lineNo = 0;
        for (int start = 0; start < length; ) {
            int end = start;
            while (end < length && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            int next = end < length && text.charAt(end) == '\r' && end + 1 < length && text.charAt(end + 1) == '\n'
                    ? end + 2 : end + 1;
            lineNo++;
            // the stripped line is text[first, last): no copy of a line that is not kept
            int first = start;
            while (first < end && Character.isWhitespace(text.charAt(first))) {
                first++;
            }
            int last = end;
            while (last > first && Character.isWhitespace(text.charAt(last - 1))) {
                last--;
            }
            int indent = first - start;
            start = next;
            boolean comment = first < last && (text.charAt(first) == '#' || text.charAt(first) == ';');
            if (comment || first == last) {
                if (!comment && option != null) {
                    more("");
                } else if (comment) {
                    tailOption = null;
                }
                continue;
            }
            String stripped = text.substring(first, last);
            if (option != null && indent > indentLevel) {
                more(stripped);
                tailSection = sectionName;
                tailOption = option;
                continue;
            }
            indentLevel = indent;
            if (stripped.startsWith("[") && stripped.lastIndexOf(']') > 1) {
                finishValue();
                sectionName = stripped.substring(1, stripped.lastIndexOf(']'));
                options = section(sectionName, lineNo);
                tailOption = null;
            } else if (options == null) {
                throw new ConfigFormatException(file, lineNo, 1,
                        "expected a section header such as [name] before the first option");
            } else {
                finishValue();
                int delimiter = firstDelimiter(stripped);
                String name = delimiter < 0 ? "" : stripped.substring(0, delimiter).strip();
                if (name.isEmpty()) {
                    throw new ConfigFormatException(file, lineNo, 1,
                            "expected 'name = value' or 'name: value'");
                }
                String key = IniFile.optionKey(name);
                // a section appears once (DEFAULT aside, whose map is the same each time), so
                // its map holds exactly the options met so far in this file
                if (options.containsKey(key)) {
                    throw new ConfigFormatException(file, lineNo, 1,
                            "option '" + key + "' appears twice in section [" + sectionName + "]");
                }
                options.put(key, stripped.substring(delimiter + 1).strip());
                ini.lines.computeIfAbsent(sectionName, s -> new HashMap<>()).put(key, lineNo);
                option = key;
                tailSection = sectionName;
                tailOption = key;
            }
        }
        finishValue();
        ini.tail = tailOption == null ? null : List.of(tailSection, tailOption);
        return ini;
    }

    /** One more line of the current option's value: a continuation line, or an empty one. */
    private void more(String line) {
        if (value == null) {
            value = new StringBuilder(options.get(option));
        }
        value.append('\n').append(line);
    }

    /** Stores the current option's value as configparser joins it, trailing blank lines removed. */
    private void finishValue() {
        if (value != null) {
            options.put(option, value.toString().stripTrailing());
            value = null;
        }
        option = null;
    }

    private Map<String, String> section(String name, int lineNo) {
        Map<String, String> section;
        if (IniFile.DEFAULT_SECTION.equals(name)) {
            section = ini.defaults;
        } else if (ini.sections.containsKey(name)) {
            if (seenSections.contains(name)) {
                throw new ConfigFormatException(file, lineNo, 1, "section [" + name + "] appears twice");
            }
            section = ini.sections.get(name);
        } else {
            section = new LinkedHashMap<>();
            ini.sections.put(name, section);
        }
        if (!IniFile.DEFAULT_SECTION.equals(name)) {
            seenSections.add(name);
        }
        return section;
    }

    private static int firstDelimiter(String value) {
        int equals = value.indexOf('=');
        int colon = value.indexOf(':');
        if (equals < 0) {
            return colon;
        }
        return colon < 0 ? equals : Math.min(equals, colon);
    }
}
