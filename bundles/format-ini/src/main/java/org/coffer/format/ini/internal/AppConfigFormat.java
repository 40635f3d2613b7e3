package org.coffer.format.ini.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.coffer.ConfigDocument;
import org.coffer.ConfigFormatException;
import org.coffer.ConfigValue;
import org.coffer.files.IniFile;
import org.coffer.spi.ConfigFormat;
import org.osgi.service.component.annotations.Component;

/**
 * Resilient's app.config as Python's {@code configparser} reads it with interpolation
 * off: sections, {@code key = value} and {@code key: value}, {@code #} and {@code ;}
 * comments, indented continuation lines, case-insensitive option names, a UTF-8 BOM
 * skipped. Options of {@code [DEFAULT]} are inherited by every section.
 */
@Component(property = "service.ranking:Integer=100")
public final class AppConfigFormat implements ConfigFormat {

    @Override
    public String name() {
        return "ini";
    }

    @Override
    public boolean accepts(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".config") || name.endsWith(".ini") || name.endsWith(".conf");
    }

    @Override
    public ConfigDocument read(Path file) {
        String text = IniFile.text(file, readBytes(file));
        IniFile ini = IniFile.parse(file, text.startsWith("\uFEFF") ? text.substring(1) : text);
        Map<String, Map<String, ConfigValue>> sections = new LinkedHashMap<>();
        for (String section : ini.sections()) {
            Map<String, ConfigValue> options = new LinkedHashMap<>();
            Map<String, String> all = new LinkedHashMap<>(ini.options(IniFile.DEFAULT_SECTION));
            all.putAll(ini.options(section));
            all.forEach((option, value) -> {
                String origin = ini.options(section).containsKey(option) ? section : IniFile.DEFAULT_SECTION;
                options.put(option, new ConfigValue(value, ini.line(origin, option), AppConfigReferences.find(section, value)));
            });
            sections.put(section, options);
        }
        return new AppConfigDocument(file, text, sections);
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigFormatException(file, 0, 0, "the file does not exist");
        } catch (IOException e) {
            throw new ConfigFormatException(file, 0, 0, "the file cannot be read: " + e.getMessage());
        }
    }
}
