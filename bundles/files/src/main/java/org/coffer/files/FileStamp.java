package org.coffer.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What identifies one version of a file on disk without reading it: the file (device
 * and inode), its size, its modification time and, where the system has it, its change
 * time. A program can restore a file's modification time ({@code cp -p}, {@code touch
 * -r}) but not its change time, so a same-size rewrite still changes the stamp. Where
 * the system has neither (Windows), the stamp is size and times only, and
 * {@link #tellsRewritesApart()} says that a reader must compare the content too.
 */
public final class FileStamp {

    private static final String UNIX = "unix:dev,ino,size,lastModifiedTime,ctime";
    private static volatile boolean unixView = true;

    private final Object key;
    private final long size;
    private final FileTime modified;
    private final FileTime changed;

    private FileStamp(Object key, long size, FileTime modified, FileTime changed) {
        this.key = key;
        this.size = size;
        this.modified = modified;
        this.changed = changed;
    }

    /**
     * @param file a file
     * @return its stamp, or {@code null} if it does not exist
     * @throws IOException if its attributes cannot be read
     */
    public static FileStamp of(Path file) throws IOException {
        try {
            if (unixView) {
                try {
                    Map<String, Object> a = Files.readAttributes(file, UNIX);
                    return new FileStamp(a.get("dev") + ":" + a.get("ino"), (Long) a.get("size"),
                            (FileTime) a.get("lastModifiedTime"), (FileTime) a.get("ctime"));
                } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
                    unixView = false;
                }
            }
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new FileStamp(a.fileKey(), a.size(), a.lastModifiedTime(), null);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * @param a a stamp, or {@code null} for a missing file
     * @param b another, or {@code null}
     * @return whether both name the same version of a file, or both a missing one
     */
    public static boolean same(FileStamp a, FileStamp b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Objects.equals(a.key, b.key) && a.size == b.size && a.modified.equals(b.modified)
                && Objects.equals(a.changed, b.changed);
    }

    /**
     * @return whether every rewrite of the file changes this stamp: false where the system
     *         reports no file identity or change time (Windows), where a same-size rewrite
     *         whose modification time is put back keeps the stamp, so that the content must be
     *         compared (by hash) to see it
     * @since 2.0
     */
    public boolean tellsRewritesApart() {
        return key != null && changed != null;
    }

    /** @return the file's size in bytes */
    public long size() {
        return size;
    }

    /**
     * @param settle how long a file must have stayed unchanged
     * @return how many milliseconds are left until the file was last changed {@code settle}
     *         ago; 0 or less once it has
     */
    public long millisUntilSettled(long settle) {
        long last = Math.max(modified.to(TimeUnit.MILLISECONDS),
                changed == null ? Long.MIN_VALUE : changed.to(TimeUnit.MILLISECONDS));
        return last + settle - System.currentTimeMillis();
    }

    /**
     * @param id a line {@link #id()} made, for example a lock file's note
     * @return the size in bytes that version had, or -1 when the line is not such an id
     * @since 1.1
     */
    public static long sizeIn(String id) {
        String[] parts = id.strip().split(" ");
        if (parts.length < 4) {
            return -1;
        }
        try {
            return Long.parseLong(parts[parts.length - 3]);
        } catch (NumberFormatException notAnId) {
            return -1;
        }
    }

    /** @return a line that identifies this version (file, size, times), for the lock file's note */
    public String id() {
        return key + " " + size + " " + modified.to(TimeUnit.NANOSECONDS) + " "
                + (changed == null ? "-" : changed.to(TimeUnit.NANOSECONDS));
    }
}
