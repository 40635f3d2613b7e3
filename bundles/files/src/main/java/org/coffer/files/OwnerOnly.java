package org.coffer.files;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Files and folders only their owner may open: mode 0600 and 0700 where the file system
 * has POSIX modes, else (Windows) an access list with one entry, the owner's, that
 * inherits nothing from the folder above. Coffer makes its keyrings, locks, state and
 * agent folders with these, and refuses a folder another user could enter.
 */
public final class OwnerOnly {

    /** Whether the default file system has POSIX modes; else it has access lists (Windows). */
    public static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    /**
     * The accounts of Windows itself, which read every file as root does on Linux: an
     * entry of theirs does not make a folder open to other users.
     */
    private static final Set<String> SYSTEM_ACCOUNTS = Set.of("NT AUTHORITY\\SYSTEM", "BUILTIN\\Administrators");

    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    private OwnerOnly() {
    }

    /** @return the attributes that make a new file its owner's only */
    public static FileAttribute<?>[] file() throws IOException {
        return new FileAttribute<?>[] {POSIX ? PosixFilePermissions.asFileAttribute(FILE) : acl(false)};
    }

    /** @return the attributes that make a new folder its owner's only */
    public static FileAttribute<?>[] folder() throws IOException {
        return new FileAttribute<?>[] {POSIX ? PosixFilePermissions.asFileAttribute(FOLDER) : acl(true)};
    }

    /**
     * Makes an existing folder its owner's only (the umask may have narrowed what
     * {@link #folder()} asked for less than it should).
     *
     * @param folder a folder of this user's
     */
    public static void restrictFolder(Path folder) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(folder, FOLDER);
        } else {
            Files.getFileAttributeView(folder, AclFileAttributeView.class).setAcl(List.of(ownerEntry(true)));
        }
    }

    /**
     * Checks a folder that must be this user's.
     *
     * @param folder the folder
     * @return why it is not (a link or a file stands there, or another user's), or null
     */
    public static String whyNotOwn(Path folder) throws IOException {
        return whyNotOwn(folder, true);
    }

    /** @return why the path is not a folder (or a regular file) of this user's, not a link, or null */
    private static String whyNotOwn(Path path, boolean folder) throws IOException {
        BasicFileAttributes basic = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (folder ? !basic.isDirectory() : !basic.isRegularFile()) {
            return path + (folder ? " is not a folder (a link or a file stands there)"
                    : " is not a regular file (a link, a folder or a device stands there)") + "; remove it";
        }
        UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
        UserPrincipal me = currentUser();
        return owner.equals(me) ? null
                : path + " belongs to " + owner.getName() + ", not to this user (" + me.getName() + "); remove it";
    }

    /**
     * Checks a folder that must be this user's only.
     *
     * @param folder the folder
     * @return why it is not (a link or a file, another user's, or open to others), or null
     */
    public static String whyNotPrivate(Path folder) throws IOException {
        String notOwn = whyNotOwn(folder);
        if (notOwn != null) {
            return notOwn;
        }
        UserPrincipal me = currentUser();
        if (POSIX) {
            Set<PosixFilePermission> mode = Files.readAttributes(folder, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).permissions();
            return mode.equals(FOLDER) ? null : folder + " has mode " + PosixFilePermissions.toString(mode)
                    + ", so other users may enter it; make it private with: chmod 700 " + folder;
        }
        String other = otherAllowed(folder, me);
        return other == null ? null : folder + " lets " + other + " in, so others may enter it; make it private"
                + " with: icacls \"" + folder + "\" /inheritance:r /grant:r \"%USERNAME%:(OI)(CI)F\"";
    }

    /**
     * Checks a file that must be this user's only, such as a key file.
     *
     * @param file the file
     * @return why it is not (not a regular file, a link, another user's, or open to
     *         others), with what makes it private, or null
     */
    public static String whyNotPrivateFile(Path file) throws IOException {
        String notOwn = whyNotOwn(file, false);
        if (notOwn != null) {
            return notOwn;
        }
        UserPrincipal me = currentUser();
        if (POSIX) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            return FILE.containsAll(mode) ? null : file + " may be read by others (mode "
                    + PosixFilePermissions.toString(mode) + "); chmod 600 it";
        }
        String other = otherAllowed(file, me);
        return other == null ? null : file + " lets " + other + " in; make it private with: icacls \"" + file
                + "\" /inheritance:r /grant:r \"%USERNAME%:F\"";
    }

    /** @return a principal other than the user and Windows' own accounts that the access list allows in, or null */
    private static String otherAllowed(Path path, UserPrincipal me) throws IOException {
        for (AclEntry entry : Files.getFileAttributeView(path, AclFileAttributeView.class).getAcl()) {
            if (entry.type() == AclEntryType.ALLOW && !entry.principal().equals(me)
                    && !SYSTEM_ACCOUNTS.contains(entry.principal().getName())) {
                return entry.principal().getName();
            }
        }
        return null;
    }

    /** @return this process's user, as the file system names owners */
    public static UserPrincipal currentUser() throws IOException {
        UserPrincipal known = user;
        if (known == null) {
            user = known = findCurrentUser();
        }
        return known;
    }

    private static volatile UserPrincipal user;

    private static UserPrincipal findCurrentUser() throws IOException {
        if (!POSIX) {
            return FileSystems.getDefault().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
        }
        // this process's effective user, whatever user.name says: the owner of /proc/self,
        // else of a file it makes
        try {
            return Files.getOwner(Path.of("/proc/self"));
        } catch (IOException noProc) {
            Path probe = Files.createTempFile("coffer-owner", "");
            try {
                return Files.getOwner(probe);
            } finally {
                Files.delete(probe);
            }
        }
    }

    private static FileAttribute<List<AclEntry>> acl(boolean folder) throws IOException {
        List<AclEntry> entries = List.of(ownerEntry(folder));
        return new FileAttribute<>() {
            @Override
            public String name() {
                return "acl:acl";
            }

            @Override
            public List<AclEntry> value() {
                return entries;
            }
        };
    }

    private static AclEntry ownerEntry(boolean folder) throws IOException {
        AclEntry.Builder entry = AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(currentUser())
                .setPermissions(EnumSet.allOf(AclEntryPermission.class));
        if (folder) {
            entry.setFlags(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT);
        }
        return entry.build();
    }
}
