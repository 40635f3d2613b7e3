package org.coffer.secretservice.provider.internal;

import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;

/** An object whose D-Bus properties are the map {@link #GetAll} makes; read-only unless a subclass says. */
abstract class PropertiesObject implements Properties {

    @Override
    @SuppressWarnings("unchecked")
    public <A> A Get(String iface, String name) {
        Variant<?> value = GetAll(iface).get(name);
        if (value == null) {
            throw BusObjects.unknownProperty(iface, name);
        }
        return (A) value;
    }

    @Override
    public <A> void Set(String iface, String name, A value) {
        throw BusObjects.error("org.freedesktop.DBus.Error.PropertyReadOnly", name + " is read-only");
    }
}
