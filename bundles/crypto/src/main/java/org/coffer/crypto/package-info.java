/**
 * The master password of Pineapple's {@code credentials.xml} and of {@code ENC(...)}
 * property values, shared by Coffer's bundles: the {@link org.coffer.crypto.MasterKey}
 * service, and the {@link org.coffer.crypto.ValueCipher} a rotation re-encrypts with.
 * Jasypt stays inside the crypto bundle.
 */
@Export
@Version("2.0.0")
package org.coffer.crypto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
