package org.coffer.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.coffer.files.OwnerOnly;

/**
 * Where the agent's socket is, and the checks both sides make before they trust it. The
 * socket lives in the agent's folder ({@link Places#runtime()}), which must be a real
 * folder of this user's with mode 0700: the agent refuses to serve in any other, and a
 * client sends nothing to a socket in any other. When the socket's path in that folder
 * would pass the 108 bytes a socket address holds, the agent serves from a short private
 * folder it makes in the temp folder under a name no one can guess, and leaves the link
 * {@value #SHORT_LINK} to it in its own folder, where only the user can write; the native
 * client follows the same rules.
 */
public final class AgentSocket {

    /** The name, in the agent's folder, of the link to the short folder. */
    public static final String SHORT_LINK = "short";
    /** The socket's name in the short folder. */
    static final String SHORT_NAME = "agent.sock";
    // sun_path holds 108 bytes with the terminating NUL
    private static final int MAX_PATH = 107;

    private final Places places;

    /** @param places the user's folders */
    public AgentSocket(Places places) {
        this.places = places;
    }

    /**
     * @return why this system has no agent: Unix domain sockets are missing (older
     *         Windows, Wine); null where they are there
     */
    public static String unavailable() {
        if (!Places.WINDOWS) {
            return null; // every Linux and macOS has them
        }
        try (java.nio.channels.SocketChannel probe =
                java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            return null;
        } catch (IOException | UnsupportedOperationException missing) {
            return "this system has no Unix domain sockets (" + missing.getMessage() + "), so no agent runs here:"
                    + " every command starts Coffer in its own process";
        }
    }

    /**
     * A client's way to the agent: the socket, once its folders are checked.
     *
     * @return the socket to connect to; {@code null} when no agent has made its folder
     * @throws IOException if a folder on the way is not private to this user: nothing may be sent there
     */
    public Path find() throws IOException {
        Path folder = places.runtime();
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        requirePrivate(folder);
        Path socket = places.socket();
        if (fits(socket)) {
            return socket;
        }
        Path link = folder.resolve(SHORT_LINK);
        if (!Files.isSymbolicLink(link)) {
            return null;
        }
        Path shortFolder = Files.readSymbolicLink(link);
        requirePrivate(shortFolder);
        return shortFolder.resolve(SHORT_NAME);
    }

    /**
     * The agent's side: makes its folder (mode 0700) or checks the one there.
     *
     * @return the agent's folder, where its lock file goes
     * @throws IOException if the folder is not private to this user, with what to do about it
     */
    public Path folder() throws IOException {
        Path folder = places.runtime();
        makePrivate(folder);
        return folder;
    }

    /**
     * The agent's side, under its lock: {@link #folder()} and, when the socket's path would
     * be too long, the short folder.
     *
     * @return where to bind the socket
     * @throws IOException if a folder is not private to this user, with what to do about it
     */
    public Path prepare() throws IOException {
        Path folder = folder();
        Path socket = places.socket();
        if (fits(socket)) {
            return socket;
        }
        Path link = folder.resolve(SHORT_LINK);
        if (Files.isSymbolicLink(link)) {
            Path known = Files.readSymbolicLink(link);
            try {
                requirePrivate(known);
                if (fits(known.resolve(SHORT_NAME))) {
                    return known.resolve(SHORT_NAME);
                }
            } catch (IOException gone) {
                // removed, or not ours any more: a new one is made below
            }
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        Path made = Files.createTempDirectory(tmp, "coffer-", OwnerOnly.folder());
        OwnerOnly.restrictFolder(made);
        if (!fits(made.resolve(SHORT_NAME))) {
            Files.delete(made);
            throw new IOException(socket + " is longer than a socket path may be (" + (MAX_PATH + 1)
                    + " bytes), and so is the temp folder " + tmp + "; set XDG_RUNTIME_DIR or a shorter COFFER_STATE");
        }
        Path fresh = folder.resolve(SHORT_LINK + ".new");
        Files.deleteIfExists(fresh);
        Files.createSymbolicLink(fresh, made);
        Files.move(fresh, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return made.resolve(SHORT_NAME);
    }

    /** @return whether the path fits in a socket address */
    static boolean fits(Path socket) {
        return socket.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_PATH;
    }

    /** Makes the folder, mode 0700, or checks the one that stands there. */
    private static void makePrivate(Path folder) throws IOException {
        Path parent = folder.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);
        }
        try {
            Files.createDirectory(folder, OwnerOnly.folder());
            OwnerOnly.restrictFolder(folder); // the umask may have taken from the mode
        } catch (FileAlreadyExistsException e) {
            // made before: checked below, and never changed, since someone else may have made it
        }
        requirePrivate(folder);
    }

    /**
     * @param folder a folder the agent's socket is in
     * @throws IOException unless it is a real folder (not a link) of this user's with mode 0700
     */
    public static void requirePrivate(Path folder) throws IOException {
        String why = OwnerOnly.whyNotPrivate(folder);
        if (why != null) {
            throw new IOException(why);
        }
    }
}
