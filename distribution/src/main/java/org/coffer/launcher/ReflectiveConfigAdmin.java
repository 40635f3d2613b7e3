package org.coffer.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * ConfigurationAdmin through reflection, as etc/ uses it: its API lives in a bundle the
 * launcher cannot link to. What etc/ gave is marked ({@link EtcConfigurations#SOURCE},
 * {@link #KEYS}) so that it alone is replaced or withdrawn.
 */
final class ReflectiveConfigAdmin {

    /**
     * The properties etc/ gave, comma-separated: only these are replaced or withdrawn, so
     * what Coffer stores in the same configuration at run time (the pin of
     * {@code keyring:use}) survives a start.
     */
    static final String KEYS = ".coffer.etc.keys";
    private static final Set<String> META = Set.of("service.pid", "service.factoryPid", "service.bundleLocation");

    private final Object admin;
    private final Method list;
    private final Method get;
    private final Method getFactory;
    private final Method properties;
    private final Method update;
    private final Method delete;

    /**
     * @param admin the ConfigurationAdmin service object
     * @param type its interface, as its bundle loads it
     * @throws Exception if that interface lacks a method ConfigAdmin's specification gives
     */
    ReflectiveConfigAdmin(Object admin, Class<?> type) throws Exception {
        this.admin = admin;
        Class<?> configuration = type.getClassLoader().loadClass("org.osgi.service.cm.Configuration");
        list = type.getMethod("listConfigurations", String.class);
        get = type.getMethod("getConfiguration", String.class, String.class);
        getFactory = type.getMethod("getFactoryConfiguration", String.class, String.class, String.class);
        properties = configuration.getMethod("getProperties");
        update = configuration.getMethod("update", Dictionary.class);
        delete = configuration.getMethod("delete");
    }

    Object[] list(String filter) throws Exception {
        Object[] found = (Object[]) call(list, admin, filter);
        return found == null ? new Object[0] : found;
    }

    Map<String, Object> properties(Object configuration) throws Exception {
        Map<String, Object> values = new HashMap<>();
        Dictionary<?, ?> dictionary = (Dictionary<?, ?>) call(properties, configuration);
        if (dictionary != null) {
            for (Enumeration<?> keys = dictionary.keys(); keys.hasMoreElements();) {
                Object key = keys.nextElement();
                if (!META.contains(key)) {
                    values.put(String.valueOf(key), dictionary.get(key));
                }
            }
        }
        return values;
    }

    /** Takes back what etc/ gave; deletes the configuration if nothing else is in it. */
    void withdraw(Object configuration) throws Exception {
        Map<String, Object> next = withoutEtc(properties(configuration));
        if (next.isEmpty()) {
            call(delete, configuration);
        } else {
            call(update, configuration, new Hashtable<>(next));
        }
    }

    /**
     * Puts the file's values over what etc/ gave before, keeping what Coffer stored
     * itself; stores nothing when that is what is stored already, which would wake
     * every component again.
     */
    void put(String key, Map<String, Object> values) throws Exception {
        int dash = key.indexOf('-');
        Object configuration = dash > 0
                ? call(getFactory, admin, key.substring(0, dash), key.substring(dash + 1), "?")
                : call(get, admin, key, "?");
        Map<String, Object> current = properties(configuration);
        Map<String, Object> next = withoutEtc(current);
        next.putAll(values);
        next.put(KEYS, String.join(",", new TreeSet<>(values.keySet())));
        if (!next.equals(current)) {
            call(update, configuration, new Hashtable<>(next));
        }
    }

    private static Map<String, Object> withoutEtc(Map<String, Object> current) {
        Map<String, Object> rest = new HashMap<>(current);
        Object keys = rest.remove(KEYS);
        if (keys != null) {
            rest.keySet().removeAll(List.of(keys.toString().split(",")));
        }
        rest.remove(EtcConfigurations.SOURCE);
        return rest;
    }

    private static Object call(Method method, Object target, Object... args) throws Exception {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
    }
}
