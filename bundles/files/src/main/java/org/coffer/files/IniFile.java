package org.coffer.files;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.coffer.ConfigFormatException;

/**
 * An INI file as Python's {@code configparser.RawConfigParser} reads and writes it:
 * sections in order, option names lower-cased, multi-line values as indented
 * continuation lines, {@code #} and {@code ;} full-line comments, a reserved
 * {@code DEFAULT} section whose options every section inherits, and strict rejection
 * of duplicate sections and options.
 *
 * <p>Like Python, {@link #render()} writes the whole file anew: comments and the
 * original spacing are not kept, values are.
 */
public final class IniFile {

    /** The section configparser reserves for defaults. */
    public static final String DEFAULT_SECTION = "DEFAULT";

    final Map<String, String> defaults = new LinkedHashMap<>();
    final Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    /** The line of each option, by section and option. */
    final Map<String, Map<String, Integer>> lines = new HashMap<>();
    /** The section and option whose value the parsed text's last lines hold, or {@code null}. */
    List<String> tail;

    /** Creates an empty file. */
    public IniFile() {
    }

    /**
     * Parses text exactly as configparser would, or fails like it.
     *
     * @param file the file the text came from, for messages
     * @param text the whole text
     * @return the parsed file
     * @throws ConfigFormatException naming the file and line of the first problem
     */
    public static IniFile parse(Path file, String text) {
        return new IniParser(file).parse(text);
    }

    /**
     * Decodes a file's bytes as UTF-8, refusing bytes that are not.
     *
     * @param file the file, for the message
     * @param bytes its content
     * @return the text
     * @throws ConfigFormatException if the bytes are not UTF-8
     */
    public static String text(Path file, byte[] bytes) {
        if (ascii(bytes)) {
            // the usual keyring or app.config: no decoder, no UTF-16 copy
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigFormatException(file, 0, 0, "expected UTF-8 text; the file holds bytes that are not");
        }
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Lower-cases an option name as configparser's {@code optionxform} does.
     *
     * @param option the name
     * @return the name as stored
     */
    public static String optionKey(String option) {
        return option.toLowerCase(Locale.ROOT);
    }

    /**
     * @param section a section name, or {@code DEFAULT}
     * @param option an option name, in any case
     * @return the 1-based line where the option starts in the parsed text, or 0
     */
    public int line(String section, String option) {
        return lines.getOrDefault(section, Map.of()).getOrDefault(optionKey(option), 0);
    }

    /**
     * Where the parsed text ends: in the value of an option (its line, a continuation
     * line, or blank lines after it), or elsewhere (a section header, a comment).
     *
     * @return the section and option whose value the last lines of the parsed text
     *         hold, or empty; always empty for a file built in memory
     * @since 1.1
     */
    public Optional<List<String>> endsInValueOf() {
        return Optional.ofNullable(tail);
    }

    /** @return the section names in file order, without {@code DEFAULT} */
    public List<String> sections() {
        return List.copyOf(sections.keySet());
    }

    /**
     * @param section a section name
     * @return whether it exists ({@code DEFAULT} never does, as in Python)
     */
    public boolean hasSection(String section) {
        return sections.containsKey(section);
    }

    /**
     * @param section a section name
     * @return its own options in order (without inherited defaults), or an empty map
     */
    public Map<String, String> options(String section) {
        Map<String, String> options = DEFAULT_SECTION.equals(section) ? defaults : sections.get(section);
        return options == null ? Map.of() : Collections.unmodifiableMap(options);
    }

    /**
     * Looks a value up, falling back to {@code DEFAULT} as configparser does.
     *
     * @param section the section
     * @param option the option, in any case
     * @return the value, or empty if the section or option is missing
     */
    public Optional<String> get(String section, String option) {
        Map<String, String> options = sections.get(section);
        if (options == null) {
            return Optional.empty();
        }
        String key = optionKey(option);
        String value = options.get(key);
        return Optional.ofNullable(value != null ? value : defaults.get(key));
    }

    /**
     * Sets a value, creating the section at the end if needed.
     *
     * @param section the section; not {@code DEFAULT}
     * @param option the option; stored lower-cased
     * @param value the value; line breaks become continuation lines
     * @throws IllegalArgumentException for the {@code DEFAULT} section or a name
     *         configparser could not read back
     */
    public void set(String section, String option, String value) {
        checkSection(section);
        String key = optionKey(option);
        if (key.isEmpty() || key.strip().length() != key.length() || key.contains("=") || key.contains(":")
                || key.contains("\n") || key.startsWith("#") || key.startsWith(";") || key.startsWith("[")) {
            throw new IllegalArgumentException("'" + option + "' cannot be an option name in an INI file");
        }
        sections.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(key, value);
    }

    /**
     * Removes an option. The section stays, as configparser leaves it.
     *
     * @param section the section
     * @param option the option, in any case
     * @return whether the option existed in that section
     */
    public boolean remove(String section, String option) {
        Map<String, String> options = sections.get(section);
        return options != null && options.remove(optionKey(option)) != null;
    }

    private static void checkSection(String section) {
        if (DEFAULT_SECTION.equals(section)) {
            throw new IllegalArgumentException("The section name DEFAULT is reserved by the INI format"
                    + " (Python's configparser); it cannot hold entries of its own");
        }
        if (section.isEmpty() || section.contains("]") || section.contains("\n") || section.contains("\r")
                || section.strip().length() != section.length()) {
            throw new IllegalArgumentException("'" + section + "' cannot be a section name in an INI file");
        }
    }

    /**
     * Writes the file as {@code RawConfigParser.write} does: {@code DEFAULT} first when
     * it has options, each section followed by a blank line, {@code key = value}, line
     * breaks in values as a newline and a tab.
     *
     * @return the text
     */
    public String render() {
        StringBuilder out = new StringBuilder();
        if (!defaults.isEmpty()) {
            renderSection(out, DEFAULT_SECTION, defaults);
        }
        sections.forEach((name, options) -> renderSection(out, name, options));
        return out.toString();
    }

    private static void renderSection(StringBuilder out, String name, Map<String, String> options) {
        out.append('[').append(name).append("]\n");
        options.forEach((key, value) -> out.append(key).append(" = ").append(value.replace("\n", "\n\t")).append('\n'));
        out.append('\n');
    }

    /** @return how many options the sections hold, defaults not counted */
    public int size() {
        int size = 0;
        for (Map<String, String> options : sections.values()) {
            size += options.size();
        }
        return size;
    }

    /**
     * @param other another file
     * @return whether this file has every section and option of the other
     */
    public boolean hasAll(IniFile other) {
        for (Map.Entry<String, Map<String, String>> section : other.sections.entrySet()) {
            Map<String, String> mine = sections.get(section.getKey());
            if (mine == null || !mine.keySet().containsAll(section.getValue().keySet())) {
                return false;
            }
        }
        return true;
    }
}
