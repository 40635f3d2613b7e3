package org.coffer.secretservice.provider.internal;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.types.Variant;

/** Object paths, property values and errors as the Secret Service specification names them. */
final class BusObjects {

    static final String SERVICE = "/org/freedesktop/secrets";
    static final String COLLECTION = SERVICE + "/collection/default";
    static final String ALIAS = SERVICE + "/aliases/default";
    static final String SESSIONS = SERVICE + "/session/";
    static final DBusPath NONE = new DBusPath("/");

    static final String ITEM_LABEL = "org.freedesktop.Secret.Item.Label";
    static final String ITEM_ATTRIBUTES = "org.freedesktop.Secret.Item.Attributes";

    private BusObjects() {
    }

    static DBusExecutionException error(String name, String message) {
        DBusExecutionException error = new DBusExecutionException(message);
        error.setType(name);
        return error;
    }

    static DBusExecutionException notSupported(String message) {
        return error("org.freedesktop.DBus.Error.NotSupported", message);
    }

    static DBusExecutionException noSuchObject(String path) {
        return error("org.freedesktop.Secret.Error.NoSuchObject", "No such object: " + path);
    }

    static DBusExecutionException unknownProperty(String iface, String name) {
        return error("org.freedesktop.DBus.Error.UnknownProperty", "No property " + name + " on " + iface);
    }

    static Variant<?> paths(List<String> paths) {
        return new Variant<>(paths.stream().map(DBusPath::new).collect(Collectors.toList()), "ao");
    }

    static Variant<?> attributes(Map<String, String> attributes) {
        return new Variant<>(attributes, "a{ss}");
    }
}
