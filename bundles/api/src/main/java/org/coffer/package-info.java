/**
 * The Coffer API for applications: ask the {@link org.coffer.CredentialProvider} for a
 * secret by service and username, or resolve a secret reference, and get a
 * {@link org.coffer.Secret} that never shows its value by accident; administer the
 * keyrings through {@link org.coffer.KeyringAdmin}.
 */
@Export
@Version("3.2.0")
package org.coffer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
