package org.coffer.webconsole.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A posted {@code application/x-www-form-urlencoded} form, decoded here rather than by
 * the servlet container so that its password fields stay {@code char[]}, wiped by
 * {@link #close()}, and never become strings.
 */
final class FormBody implements AutoCloseable {

    /** Larger bodies are refused: the page's forms are a few hundred bytes. */
    static final int LIMIT = 64 * 1024;

    private final Map<String, char[]> fields = new HashMap<>();

    private FormBody() {
    }

    static FormBody read(InputStream in) throws IOException {
        byte[] body = in.readNBytes(LIMIT + 1);
        try {
            if (body.length > LIMIT) {
                throw new IllegalArgumentException("The form is larger than " + LIMIT + " bytes");
            }
            return parse(body);
        } finally {
            Arrays.fill(body, (byte) 0);
        }
    }

    static FormBody parse(byte[] body) {
        FormBody form = new FormBody();
        int start = 0;
        while (start <= body.length) {
            int end = indexOf(body, (byte) '&', start);
            if (end > start) {
                int equals = indexOf(body, (byte) '=', start);
                int nameEnd = Math.min(equals, end);
                char[] name = decode(body, start, nameEnd);
                char[] value = nameEnd < end ? decode(body, nameEnd + 1, end) : new char[0];
                char[] previous = form.fields.put(new String(name), value);
                if (previous != null) {
                    Arrays.fill(previous, '\0');
                }
            }
            start = end + 1;
        }
        return form;
    }

    /** @return a field that is not secret, stripped; empty when absent or blank */
    Optional<String> text(String name) {
        char[] value = fields.get(name);
        if (value == null) {
            return Optional.empty();
        }
        String text = new String(value).strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** @return the field as it was posted (a password), owned by this form; empty array when absent */
    char[] secret(String name) {
        char[] value = fields.get(name);
        return value == null ? new char[0] : value;
    }

    boolean checked(String name) {
        return text(name).map(v -> v.equals("on") || v.equals("yes")).orElse(false);
    }

    @Override
    public void close() {
        fields.values().forEach(value -> Arrays.fill(value, '\0'));
        fields.clear();
    }

    private static int indexOf(byte[] body, byte wanted, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == wanted) {
                return i;
            }
        }
        return body.length;
    }

    private static char[] decode(byte[] body, int from, int to) {
        byte[] raw = new byte[to - from];
        int length = 0;
        for (int i = from; i < to; i++) {
            byte b = body[i];
            int escaped = b == '%' ? hex(body, i + 1, to) : -1;
            if (escaped >= 0) {
                raw[length++] = (byte) escaped;
                i += 2;
            } else {
                raw[length++] = b == '+' ? (byte) ' ' : b;
            }
        }
        CharBuffer chars = CharBuffer.allocate(length);
        try {
            CoderResult result = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw, 0, length), chars, true);
            if (result.isError()) {
                throw new IllegalArgumentException("A form field is not UTF-8");
            }
            return Arrays.copyOf(chars.array(), chars.position());
        } finally {
            Arrays.fill(raw, (byte) 0);
            Arrays.fill(chars.array(), '\0');
        }
    }

    /** @return the byte of two hex digits at {@code at}, or -1 */
    private static int hex(byte[] body, int at, int end) {
        if (at + 1 >= end) {
            return -1;
        }
        int high = Character.digit(body[at], 16);
        int low = Character.digit(body[at + 1], 16);
        return high < 0 || low < 0 ? -1 : high * 16 + low;
    }
}
