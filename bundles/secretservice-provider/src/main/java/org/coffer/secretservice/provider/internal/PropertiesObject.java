package org.coffer.secretservice.provider.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

/**
 * An object's D-Bus properties, each made only when asked for: a client reads one
 * property at a time (Python asks for a collection's {@code Label} and {@code Locked} at
 * every call), and {@code Items} lists every backend. Read-only unless a subclass says.
 */
abstract class PropertiesObject implements Properties {

    /** @return the names of the properties, in the order {@code GetAll} gives them */
    abstract List<String> names();

    /** @return the value of a property, or {@code null} when there is none of that name */
    abstract Variant<?> property(String name);

    @Override
    @SuppressWarnings("unchecked")
    public <A> A Get(String iface, String name) {
        Variant<?> value = names().contains(name) ? property(name) : null;
        if (value == null) {
            throw BusObjects.unknownProperty(iface, name);
        }
        return (A) value;
    }

    @Override
    public <A> void Set(String iface, String name, A value) {
        throw BusObjects.error("org.freedesktop.DBus.Error.PropertyReadOnly", name + " is read-only");
    }

    @Override
    public Map<String, Variant<?>> GetAll(String iface) {
        Map<String, Variant<?>> all = new LinkedHashMap<>();
        for (String name : names()) {
            all.put(name, property(name));
        }
        return all;
    }
}
