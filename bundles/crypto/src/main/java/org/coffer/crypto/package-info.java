/**
 * The master password and the ciphers of Pineapple's {@code credentials.xml} and of
 * {@code ENC(...)} property values, shared by Coffer's format bundles: a
 * {@link org.coffer.crypto.MasterKey} service, Jasypt's password-based ciphers, and a
 * per-process seal that keeps decrypted values encrypted in memory.
 */
@Export
@Version("1.0.0")
package org.coffer.crypto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
