/**
 * What Coffer's three keyring-file backends (plaintext, encryptedfile, cryptfile) build
 * on: the keyrings.alt file layout ({@link org.coffer.keyringfile.KeyringFileStore},
 * {@link org.coffer.keyringfile.KeyringEscape}, {@link org.coffer.keyringfile.KeyringValue}),
 * the base of the encrypted backends ({@link org.coffer.keyringfile.EncryptedKeyringBackend})
 * with the cipher they supply ({@link org.coffer.keyringfile.KeyringCipher},
 * {@link org.coffer.keyringfile.SaltedKeys}, {@link org.coffer.keyringfile.FlatJson}).
 * Writes and INI parsing come from {@code org.coffer.files}.
 */
@Export
@Version("4.1.0")
package org.coffer.keyringfile;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
