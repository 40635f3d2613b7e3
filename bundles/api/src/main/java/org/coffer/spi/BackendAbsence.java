package org.coffer.spi;

/**
 * Why an installed keyring backend is not there now: no bus, no service on it, another
 * operating system, a configuration that is wrong. Every backend is published only while
 * its probe's or watcher's OSGi condition holds ({@code osgi.ds.satisfying.condition});
 * while it does not, the probe publishes this service with the backend's {@value
 * KeyringBackend#NAME_PROPERTY}, and {@code keyring:backends --all} and {@code
 * keyring:diagnose} show the reason. This is the one way a backend tells its absence: no
 * code reads a component's failure text.
 */
public interface BackendAbsence {

    /** @return the name of the backend that is absent */
    String backend();

    /** @return why, in a sentence that says what would make it available */
    String reason();
}
