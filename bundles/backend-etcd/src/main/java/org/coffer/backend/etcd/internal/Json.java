package org.coffer.backend.etcd.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of etcd's gateway, read and written with jackson-core's streaming API: objects
 * as maps, arrays as lists, numbers as longs. The gateway writes bytes as base64 and
 * 64-bit integers as strings; the accessors take either form.
 */
final class Json {

    static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /** @return the bytes of a JSON object */
    static byte[] write(Map<String, ?> object) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            value(generator, object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void value(JsonGenerator generator, Object value) throws IOException {
        if (value instanceof Map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> field : ((Map<?, ?>) value).entrySet()) {
                generator.writeFieldName(field.getKey().toString());
                value(generator, field.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof List) {
            generator.writeStartArray();
            for (Object item : (List<?>) value) {
                value(generator, item);
            }
            generator.writeEndArray();
        } else if (value instanceof byte[]) {
            generator.writeString(base64((byte[]) value));
        } else if (value instanceof Boolean) {
            generator.writeBoolean((Boolean) value);
        } else if (value == null) {
            generator.writeNull();
        } else {
            // 64-bit integers as the gateway writes them
            generator.writeString(value.toString());
        }
    }

    /** @return the next JSON value of the parser, or {@code null} at the end of its input */
    static Object read(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        return token == null ? null : read(parser, token);
    }

    private static Object read(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT:
                Map<String, Object> object = new LinkedHashMap<>();
                for (JsonToken field = parser.nextToken(); field != JsonToken.END_OBJECT; field = parser.nextToken()) {
                    String name = parser.currentName();
                    object.put(name, read(parser, parser.nextToken()));
                }
                return object;
            case START_ARRAY:
                List<Object> array = new ArrayList<>();
                for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                    array.add(read(parser, item));
                }
                return array;
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    /** @return the object's field as an object, empty when absent */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> object, String field) {
        Object value = object.get(field);
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    /** @return the object's field as a list of objects, empty when absent */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Map<String, Object> object, String field) {
        Object value = object.get(field);
        List<Map<String, Object>> objects = new ArrayList<>();
        if (value instanceof List) {
            for (Object item : (List<Object>) value) {
                if (item instanceof Map) {
                    objects.add((Map<String, Object>) item);
                }
            }
        }
        return objects;
    }

    /** @return a 64-bit integer field, 0 when absent (the gateway omits zero values) */
    static long number(Map<String, Object> object, String field) {
        Object value = object.get(field);
        if (value instanceof Number) {
            return ((Number) value).longValue();
        }
        if (value instanceof String) {
            try {
                return Long.parseLong((String) value);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("etcd answered '" + value + "' where " + field + " is a number");
            }
        }
        return 0;
    }

    /** @return a bytes field, empty when absent */
    static byte[] bytes(Map<String, Object> object, String field) {
        Object value = object.get(field);
        return value instanceof String ? Base64.getDecoder().decode((String) value) : new byte[0];
    }

    /** @return a text field, empty when absent */
    static String text(Map<String, Object> object, String field) {
        Object value = object.get(field);
        return value == null ? "" : value.toString();
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
