package org.coffer.client;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One agent per state folder: the agent holds a lock on {@code agent-*.lock} in its folder
 * ({@link Places#runtime()}) for as long as it serves, and writes its process id and state
 * folder into it. Whoever finds the lock held can say which Coffer serves, and
 * {@code agent status} lists every agent of the user whose folder it can see.
 */
public final class AgentLock implements Closeable {

    private static final String SUFFIX = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private AgentLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param places the user's folders
     * @param folder the agent's folder ({@link AgentSocket#folder()})
     * @return the lock file of the agent of this state folder
     */
    public static Path file(Places places, Path folder) {
        String socket = places.socket().getFileName().toString();
        return folder.resolve(socket.substring(0, socket.length() - ".sock".length()) + SUFFIX);
    }

    /**
     * @param places the user's folders
     * @param folder the agent's folder
     * @return the lock, held until closed, with this process written into it; empty when
     *         another process holds it
     * @throws IOException if the lock file cannot be opened
     */
    public static Optional<AgentLock> tryAcquire(Places places, Path folder) throws IOException {
        return tryAcquire(places, folder, false);
    }

    /**
     * @param places the user's folders
     * @param folder the agent's folder
     * @param onDemand whether the agent was started by a command ({@link AgentStarter}), so
     *        that an explicit {@code run} may replace it
     * @return the lock, held until closed, with this process written into it; empty when
     *         another process holds it
     * @throws IOException if the lock file cannot be opened
     */
    public static Optional<AgentLock> tryAcquire(Places places, Path folder, boolean onDemand) throws IOException {
        FileChannel channel = FileChannel.open(file(places, folder), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            channel.close();
            throw e instanceof IOException ? (IOException) e : new IOException("this process holds the lock already", e);
        }
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\nstate " + places.state() + "\n"
                + (onDemand ? "started on-demand\n" : ""))
                .getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        return Optional.of(new AgentLock(channel, lock));
    }

    /**
     * @param lockFile an agent's lock file
     * @return who holds it, as {@code pid N, state folder S}; empty when no process holds it
     *         (no agent, or one that was killed)
     */
    public static Optional<String> holder(Path lockFile) {
        return fields(lockFile).map(f -> "pid " + f.getOrDefault("pid", "?") + ", state folder "
                + f.getOrDefault("state", "?"));
    }

    /**
     * @param lockFile an agent's lock file
     * @return the process id of the agent that holds it, when one does
     */
    public static Optional<Long> pid(Path lockFile) {
        try {
            return fields(lockFile).map(f -> f.get("pid")).map(Long::valueOf);
        } catch (NumberFormatException written) {
            return Optional.empty();
        }
    }

    /**
     * @param lockFile an agent's lock file
     * @return whether the agent that holds it was started by a command, not by {@code run}
     */
    public static boolean onDemand(Path lockFile) {
        return fields(lockFile).map(f -> "on-demand".equals(f.get("started"))).orElse(false);
    }

    /** @return the lines of a held lock file, by their first word; empty when it is not held */
    private static Optional<Map<String, String>> fields(Path lockFile) {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                lock.release();
                return Optional.empty();
            }
        } catch (NoSuchFileException none) {
            return Optional.empty();
        } catch (OverlappingFileLockException thisProcess) {
            // held in this very process: described like any other
        } catch (IOException unreadable) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        try {
            for (String line : Files.readAllLines(lockFile, StandardCharsets.UTF_8)) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    fields.put(line.substring(0, space), line.substring(space + 1));
                }
            }
        } catch (IOException written) {
            // held, but its content is being written: the holder is still an agent
        }
        return Optional.of(fields);
    }

    /**
     * @param folder an agent's folder
     * @return every agent that holds a lock file in it
     */
    public static List<String> running(Path folder) {
        List<String> agents = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "agent*" + SUFFIX)) {
            for (Path file : files) {
                holder(file).ifPresent(agents::add);
            }
        } catch (IOException none) {
            // no folder: no agent
        }
        agents.sort(null);
        return agents;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
