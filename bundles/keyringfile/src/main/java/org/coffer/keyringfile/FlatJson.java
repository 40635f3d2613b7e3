package org.coffer.keyringfile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON the encrypted keyring formats put inside a value: one flat object of string
 * fields, written as Python's {@code json.dumps} writes it ({@code ", "} and
 * {@code ": "} separators, non-ASCII escaped).
 */
public final class FlatJson {

    private FlatJson() {
    }

    /**
     * @param fields the fields in order
     * @return the JSON text
     */
    public static String write(Map<String, String> fields) {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((key, value) -> {
            if (out.length() > 1) {
                out.append(", ");
            }
            quote(out, key);
            out.append(": ");
            quote(out, value);
        });
        return out.append('}').toString();
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    /**
     * @param fields parsed fields
     * @param name a field holding base64 (with line breaks, as Python writes it)
     * @return the decoded bytes
     * @throws IllegalArgumentException if the field is missing or not base64
     */
    public static byte[] base64Field(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the encrypted value has no '" + name + "' field");
        }
        try {
            return KeyringValue.strictBase64(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the '" + name + "' field is " + e.getMessage(), e);
        }
    }

    /**
     * @param json a flat object of string fields
     * @return the fields in order
     * @throws IllegalArgumentException if the text is not such an object
     */
    public static Map<String, String> parse(String json) {
        Parser parser = new Parser(json);
        Map<String, String> fields = parser.object();
        parser.skipSpace();
        if (!parser.atEnd()) {
            throw parser.error("the end of the object");
        }
        return fields;
    }

    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        Map<String, String> object() {
            Map<String, String> fields = new LinkedHashMap<>();
            expect('{');
            skipSpace();
            if (peek() == '}') {
                at++;
                return fields;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                fields.put(key, string());
                skipSpace();
                char c = next();
                if (c == '}') {
                    return fields;
                }
                if (c != ',') {
                    at--;
                    throw error("',' or '}'");
                }
            }
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case 'n': out.append('\n'); break;
                    case 'r': out.append('\r'); break;
                    case 't': out.append('\t'); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'u':
                        out.append(hexChar());
                        break;
                    case '"': case '\\': case '/': out.append(e); break;
                    default: throw error("one of the JSON escapes \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u");
                }
            }
        }

        void expect(char c) {
            if (atEnd() || text.charAt(at) != c) {
                throw error("'" + c + "'");
            }
            at++;
        }

        char next() {
            if (atEnd()) {
                throw error("more text");
            }
            return text.charAt(at++);
        }

        /** The four hex digits of a {@code \\u} escape, and nothing else (no sign, no fewer). */
        char hexChar() {
            if (at + 4 > text.length()) {
                throw error("four hex digits");
            }
            int value = 0;
            for (int i = 0; i < 4; i++) {
                int digit = Character.digit(text.charAt(at + i), 16);
                if (digit < 0) {
                    throw error("four hex digits");
                }
                value = value * 16 + digit;
            }
            at += 4;
            return (char) value;
        }

        char peek() {
            return atEnd() ? '\0' : text.charAt(at);
        }

        void skipSpace() {
            while (!atEnd() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        boolean atEnd() {
            return at >= text.length();
        }

        IllegalArgumentException error(String expected) {
            return new IllegalArgumentException("expected " + expected + " at character " + (at + 1) + " of the JSON payload");
        }
    }
}
