/**
 * Helpers that Coffer's bundles share and that are no part of a contract: where Coffer's
 * home and the user's home are, how a ranking reads, where a keyring's password may come
 * from, the access policy files, how a backend tells that it is absent (the probe of a
 * backend bound to one operating system, and of one whose availability is its
 * configuration), and a seal that keeps values encrypted in memory
 * (JDK ciphers only).
 */
@Export
@Version("1.2.0")
package org.coffer.spi.support;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
