/**
 * Equinox Secure Storage files ({@code secure_storage}) without Equinox: reading them
 * ({@link org.coffer.backend.eclipse.storage.SecureStorage}), telling a master password that
 * opens it ({@link org.coffer.backend.eclipse.storage.PasswordCheck}), moving one to another
 * password provider module ({@link org.coffer.backend.eclipse.storage.StorageTakeOver}),
 * for the eclipse backend and the shell's {@code eclipse:takeover}.
 */
@Export
@Version("1.0.0")
package org.coffer.backend.eclipse.storage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
