package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.SecretServiceApi;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coffer.BackendException;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.Position;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.types.Variant;

/**
 * Checks every reply of the Secret Service against the type its method declares, before
 * Coffer reads it. dbus-java hands over what the service sent, so a service answering
 * with another shape would otherwise surface as a {@link ClassCastException} far from
 * the call; here it becomes a {@link BackendException} that names the method and what
 * was expected. Messages name types, never values.
 */
final class ReplyShape {

    private static final Map<Class<?>, String> BASIC = Map.of(String.class, "s", Boolean.class, "b",
            Variant.class, "v", byte[].class, "ay", SecretServiceApi.EncodedSecret.class, "(oayays)",
            org.freedesktop.dbus.types.UInt32.class, "u");

    private static final String REPLY = "the reply";

    private ReplyShape() {
    }

    /**
     * @param type the interface
     * @param remote dbus-java's proxy of a remote object
     * @return a view of the remote object whose replies are checked
     */
    static <I extends DBusInterface> I checked(Class<I> type, I remote) {
        InvocationHandler dbus = Proxy.getInvocationHandler(remote);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Class<?> declaring = method.getDeclaringClass();
            if (declaring == Object.class || declaring == DBusInterface.class) {
                return dbus.invoke(remote, method, args);
            }
            Object reply;
            try {
                // the handler, not the proxy: the proxy would cast the reply before it is checked
                reply = dbus.invoke(remote, method, args);
            } catch (DBusExecutionException e) {
                if (undecodable(e)) {
                    throw wrong(method.getName(), method.getGenericReturnType(), "dbus-java could not decode it");
                }
                throw e;
            }
            check(method.getName(), method.getGenericReturnType(), reply);
            return reply;
        }));
    }

    /** dbus-java's own exceptions for a reply of another signature; a service's errors are subclasses. */
    private static boolean undecodable(DBusExecutionException e) {
        String message = String.valueOf(e.getMessage());
        return e.getClass() == DBusExecutionException.class
                && (message.startsWith("Wrong return type") || message.startsWith("Error creating tuple"));
    }

    /**
     * @param method the method that was called
     * @param expected the type it declares
     * @param reply what came back
     * @throws BackendException if the reply is not of that type
     */
    static void check(String method, Type expected, Object reply) {
        Optional<String> mismatch = mismatch(expected, reply, REPLY);
        if (mismatch.isPresent()) {
            throw wrong(method, expected, mismatch.get());
        }
    }

    /** @return the value of a property, which the specification gives as {@code type} */
    static <T> T property(String name, Class<T> type, Object value) {
        Object inner = value instanceof Variant ? ((Variant<?>) value).getValue() : value;
        if (!type.isInstance(inner)) {
            throw new BackendException("The Secret Service answered Get(" + name + ") with a reply of the wrong"
                    + " shape: expected " + describe(type) + " in a variant, got " + describeValue(inner)
                    + ". Coffer does not use such a reply");
        }
        return type.cast(inner);
    }

    /** @return the {@code Attributes} property: a dictionary of strings */
    @SuppressWarnings("unchecked")
    static Map<String, String> attributes(Object value) {
        Map<?, ?> map = property("Attributes", Map.class, value);
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String) || !(entry.getValue() instanceof String)) {
                throw new BackendException("The Secret Service answered Get(Attributes) with a reply of the wrong"
                        + " shape: expected a dictionary of strings (a{ss}) in a variant, got an entry of "
                        + describeValue(entry.getKey()) + " to " + describeValue(entry.getValue())
                        + ". Coffer does not use such a reply");
            }
        }
        return (Map<String, String>) map;
    }

    private static BackendException wrong(String method, Type expected, String what) {
        return new BackendException("The Secret Service answered " + method + " with a reply of the wrong shape:"
                + " expected " + describe(expected) + "; " + what + ". Coffer does not use such a reply");
    }

    /** @return empty if the value is of the type, else what was expected where, and what came */
    static Optional<String> mismatch(Type expected, Object value, String where) {
        if (expected == void.class || expected == Object.class || expected instanceof TypeVariable
                || expected instanceof java.lang.reflect.WildcardType) {
            return Optional.empty();
        }
        Class<?> raw = boxed(raw(expected));
        if (!raw.isInstance(value)) {
            return Optional.of(where + " is " + describeValue(value)
                    + (REPLY.equals(where) ? "" : " where " + describe(expected) + " belongs"));
        }
        Type[] arguments = expected instanceof ParameterizedType
                ? ((ParameterizedType) expected).getActualTypeArguments() : new Type[0];
        if (value instanceof List && arguments.length == 1) {
            List<?> list = (List<?>) value;
            for (int i = 0; i < list.size(); i++) {
                Optional<String> inner = mismatch(arguments[0], list.get(i), "element " + (i + 1) + " of " + where);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        } else if (value instanceof Map && arguments.length == 2) {
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                Optional<String> inner = mismatch(arguments[0], entry.getKey(), "a key of " + where)
                        .or(() -> mismatch(arguments[1], entry.getValue(), "a value of " + where));
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return fields(raw, arguments, value, where);
    }

    /** The fields of a struct or tuple, whose generic types are the type's arguments. */
    private static Optional<String> fields(Class<?> raw, Type[] arguments, Object value, String where) {
        TypeVariable<?>[] parameters = raw.getTypeParameters();
        for (Field field : raw.getFields()) {
            Position position = field.getAnnotation(Position.class);
            if (position == null) {
                continue;
            }
            Type type = field.getGenericType();
            for (int i = 0; i < parameters.length && i < arguments.length; i++) {
                if (parameters[i].equals(type)) {
                    type = arguments[i];
                }
            }
            Object fieldValue;
            try {
                fieldValue = field.get(value);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(field + " is not public", e);
            }
            Optional<String> inner = mismatch(type, fieldValue, "value " + (position.value() + 1) + " of " + where);
            if (inner.isPresent()) {
                return inner;
            }
        }
        return Optional.empty();
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType ? (Class<?>) ((ParameterizedType) type).getRawType() : (Class<?>) type;
    }

    private static Class<?> boxed(Class<?> type) {
        if (type == boolean.class) {
            return Boolean.class;
        }
        return type;
    }

    /** @return a type as the specification would name it, with its D-Bus signature */
    static String describe(Type type) {
        String signature = signature(type);
        return name(boxed(raw(type))) + (signature.startsWith("(") ? " " + signature : " (" + signature + ")");
    }

    private static String name(Class<?> raw) {
        if (raw == SecretServiceApi.Pair.class) {
            return "two values";
        }
        if (raw == SecretServiceApi.EncodedSecret.class) {
            return "a secret";
        }
        if (raw == byte[].class) {
            return "a byte array";
        }
        if (DBusPath.class.isAssignableFrom(raw)) {
            return "an object path";
        }
        return List.class.isAssignableFrom(raw) ? "an array" : Map.class.isAssignableFrom(raw) ? "a dictionary"
                : article(raw.getSimpleName().toLowerCase(java.util.Locale.ROOT));
    }

    private static String signature(Type type) {
        Type[] arguments = type instanceof ParameterizedType
                ? ((ParameterizedType) type).getActualTypeArguments() : new Type[0];
        Class<?> raw = boxed(raw(type));
        if (raw == SecretServiceApi.Pair.class && arguments.length == 2) {
            return signature(arguments[0]) + signature(arguments[1]);
        }
        if (List.class.isAssignableFrom(raw) && arguments.length == 1) {
            return "a" + signature(arguments[0]);
        }
        if (Map.class.isAssignableFrom(raw) && arguments.length == 2) {
            return "a{" + signature(arguments[0]) + signature(arguments[1]) + "}";
        }
        String basic = BASIC.get(raw);
        return basic != null ? basic : DBusPath.class.isAssignableFrom(raw) ? "o" : "?";
    }

    /** @return the type of a value, never the value */
    static String describeValue(Object value) {
        return value == null ? "nothing" : article(value.getClass().getSimpleName());
    }

    private static String article(String noun) {
        return ("AEIOaeio".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }
}
