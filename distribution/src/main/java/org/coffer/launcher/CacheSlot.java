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
import java.util.stream.Stream;
import org.coffer.client.Places;

/**
 * A framework cache of the user's own, locked while one process uses it. Caches are
 * kept per install (its path and the jars of {@code lib/} and {@code bundle/}), so the
 * next start finds its bundles installed and starts fast. Processes that start at the
 * same time take the next free slot; past {@value #SLOTS} of them, a fresh cache that
 * is removed at exit.
 */
final class CacheSlot implements AutoCloseable {

    static final int SLOTS = 16;

    final Path folder;
    /** Whether the cache is removed when the process is done. */
    final boolean temporary;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private boolean closed;

    private CacheSlot(Path folder, boolean temporary, FileChannel lockChannel, FileLock lock) {
        this.folder = folder;
        this.temporary = temporary;
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
        Path base = Places.privateFolder(caches).resolve(key(install));
        Files.createDirectories(base);
        for (int i = 0; i < SLOTS; i++) {
            FileChannel channel = FileChannel.open(base.resolve("slot-" + i + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock != null) {
                return new CacheSlot(base.resolve("slot-" + i), false, channel, lock);
            }
            channel.close();
        }
        return new CacheSlot(Files.createTempDirectory(base, "once-"), true, null, null);
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
        return Integer.toHexString(text.toString().hashCode());
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (temporary) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            return;
        }
        lock.release();
        lockChannel.close();
    }
}
