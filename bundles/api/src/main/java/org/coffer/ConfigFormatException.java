package org.coffer;

import java.nio.file.Path;

/**
 * A configuration or keyring file could not be parsed. Carries the file, the line and
 * column (1-based; 0 when unknown) and what was expected there. The file is left as
 * it was.
 */
public class ConfigFormatException extends CofferException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final int column;

    /**
     * @param file the file that failed to parse
     * @param line the 1-based line, or 0 when unknown
     * @param column the 1-based column, or 0 when unknown
     * @param expected what was expected at that place
     */
    public ConfigFormatException(Path file, int line, int column, String expected) {
        super(location(file, line, column) + ": " + expected);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    private static String location(Path file, int line, int column) {
        StringBuilder at = new StringBuilder(String.valueOf(file));
        if (line > 0) {
            at.append(", line ").append(line);
        }
        if (column > 0) {
            at.append(", column ").append(column);
        }
        return at.toString();
    }

    /** @return the file that failed to parse */
    public Path file() {
        return file;
    }

    /** @return the 1-based line, or 0 when unknown */
    public int line() {
        return line;
    }

    /** @return the 1-based column, or 0 when unknown */
    public int column() {
        return column;
    }
}
