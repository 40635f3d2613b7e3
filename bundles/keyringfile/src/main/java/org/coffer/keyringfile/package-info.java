/**
 * The keyring-file store that Coffer's file backends share: the INI layout Python's
 * {@code configparser} reads and writes, keyrings.alt's escaping of section and option
 * names, and atomic, locked writes.
 */
@Export
@Version("4.0.0")
package org.coffer.keyringfile;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
