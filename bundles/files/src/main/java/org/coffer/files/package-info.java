/**
 * Files as Coffer writes and reads them: atomic, locked writes that keep a file 0600
 * ({@link org.coffer.files.AtomicFile}), a write that replaces only the version it read
 * and still sees the file it replaced ({@link org.coffer.files.FileVersion}), a file's
 * identity for change checks ({@link org.coffer.files.FileStamp}), INI files as Python's {@code configparser} reads
 * and writes them ({@link org.coffer.files.IniFile}), and a person's reason for a
 * failed file operation ({@link org.coffer.files.FileProblem}).
 */
@Export
@Version("2.0.0")
package org.coffer.files;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
