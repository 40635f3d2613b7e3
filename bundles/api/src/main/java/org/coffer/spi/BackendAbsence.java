package org.coffer.spi;

/**
 * Why an installed keyring backend is not there now: no bus, no service on it, another
 * operating system. A backend whose availability depends on the machine is published
 * only while a watcher's OSGi condition holds ({@code osgi.ds.satisfying.condition});
 * while it does not, the watcher publishes this service with the backend's {@value
 * KeyringBackend#NAME_PROPERTY}, and {@code keyring:backends --all} shows the reason.
 */
public interface BackendAbsence {

    /** @return the name of the backend that is absent */
    String backend();

    /** @return why, in a sentence that says what would make it available */
    String reason();
}
