/**
 * The Coffer SPI, for bundles that extend Coffer: keyring backends, configuration
 * formats and secret resolvers. Each is published as an OSGi service with a
 * {@code service.ranking}; the provider composes them at runtime.
 */
@Export
@Version("2.2.0")
package org.coffer.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
