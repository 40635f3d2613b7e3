package org.coffer.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.coffer.client.Places;

/**
 * A framework cache of the user's own, locked while one process uses it. Caches are
 * kept per install (its path and the jars of {@code lib/} and {@code bundle/}), so the
 * next start finds its bundles installed and starts fast. Processes that start at the
 * same time take the next free slot, a new one when all are taken: there are as many as
 * processes ever ran at once, each about 1 MB (bundles are referenced, not copied).
 */
final class CacheSlot implements AutoCloseable {

    final Path folder;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private CacheSlot(Path folder, FileChannel lockChannel, FileLock lock) {
        this.folder = folder;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * @param caches the user's cache folder
     * @param install the install folder
     * @return a slot this process holds until {@link #close()}
     * @throws IOException if the user's state folder cannot be used
     */
    static CacheSlot acquire(Path caches, Path install) throws IOException {
        Path base = Files.createDirectories(Places.privateFolder(caches).resolve(key(install)));
        for (int i = 0;; i++) {
            FileChannel channel = FileChannel.open(base.resolve("slot-" + i + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock != null) {
                return new CacheSlot(base.resolve("slot-" + i), channel, lock);
            }
            channel.close();
        }
    }

    /** The install's path and the names, sizes and times of its jars: a new build gets new caches. */
    private static String key(Path install) throws IOException {
        StringBuilder text = new StringBuilder(install.toString());
        for (String folder : List.of("lib", "bundle")) {
            List<Path> jars = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(install.resolve(folder), "*.jar")) {
                stream.forEach(jars::add);
            }
            jars.sort(Comparator.naturalOrder());
            for (Path jar : jars) {
                text.append('\n').append(jar.getFileName()).append(' ').append(Files.size(jar))
                        .append(' ').append(Files.getLastModifiedTime(jar).toMillis());
            }
        }
        return Places.digest(text.toString());
    }

    /** Releases the slot; calling it again does nothing. */
    @Override
    public void close() throws IOException {
        lockChannel.close(); // releases the lock
    }
}
