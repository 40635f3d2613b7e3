package org.coffer.provider.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.osgi.framework.Bundle;

/**
 * Which bundles are Coffer's own, known by where they were installed from, never by
 * their name alone: any jar can call itself {@code org.coffer.shell}.
 *
 * <p>The locations are the framework property {@value #PROPERTY} (comma-separated; an
 * entry ending in {@code *} is a prefix): Coffer's launcher names its {@code bundle/}
 * and {@code web/} folders and each backend jar it ships in {@code deploy/}. Without it,
 * Coffer's own are the bundles installed from the provider's own place: in Karaf the
 * features' {@code mvn:org.coffer/} locations, in Eclipse the plugin folder of p2's
 * installable units.
 */
final class OwnBundles {

    static final String PROPERTY = "coffer.own.locations";
    private static final String OWN_NAMES = "org.coffer.";

    private final List<String> exact = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();

    /**
     * @param frameworkProperty the framework's properties
     * @param providerLocation the provider bundle's own location
     */
    OwnBundles(UnaryOperator<String> frameworkProperty, String providerLocation) {
        String named = frameworkProperty.apply(PROPERTY);
        List<String> locations = new ArrayList<>();
        if (named != null && !named.isBlank()) {
            locations.addAll(List.of(named.split(",")));
        } else if (providerLocation != null) {
            // mvn:group/artifact/version: the group; any other URL: its folder
            int end = providerLocation.startsWith("mvn:") ? providerLocation.indexOf('/')
                    : providerLocation.lastIndexOf('/');
            locations.add(end > 0 ? providerLocation.substring(0, end + 1) + "*" : providerLocation);
        }
        if (providerLocation != null) {
            exact.add(providerLocation);
        }
        for (String location : locations) {
            String entry = location.strip();
            if (entry.endsWith("*")) {
                prefixes.add(entry.substring(0, entry.length() - 1));
            } else if (!entry.isEmpty()) {
                exact.add(entry);
            }
        }
    }

    /** @return whether Coffer itself installed the bundle */
    boolean isOwn(Bundle bundle) {
        if (bundle == null) {
            return false;
        }
        String location = bundle.getLocation();
        return exact.contains(location) || prefixes.stream().anyMatch(location::startsWith);
    }

    /** @return the bundle's name, marked when it takes one of Coffer's names without being Coffer's */
    String name(Bundle bundle) {
        String name = bundle.getSymbolicName();
        if (name == null) {
            return "#" + bundle.getBundleId();
        }
        if (name.startsWith(OWN_NAMES) && !isOwn(bundle)) {
            return name + " (#" + bundle.getBundleId() + ", not Coffer's: installed from " + bundle.getLocation() + ")";
        }
        return name;
    }
}
