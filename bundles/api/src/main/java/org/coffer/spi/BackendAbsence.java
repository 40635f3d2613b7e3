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

    /**
     * @return whether the backend is set up to work here and only cannot reach its store
     *         now (a keyring revoked or missing, a configuration that names something
     *         unreachable): then a read that no other backend answers names this backend
     *         and its reason instead of saying "not found". {@code false}, the default, when
     *         this machine cannot have the backend at all (another operating system, no
     *         native library), so that its absence changes no answer.
     * @since 2.1
     */
    default boolean configured() {
        return false;
    }
}
