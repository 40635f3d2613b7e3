package org.coffer.launcher;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import org.coffer.client.Wire;

/**
 * The agent's door: one thread accepts connections and reads their requests without
 * blocking, each into a buffer that grows only as its bytes arrive. A connection that
 * has not delivered its whole request by the deadline is closed, and so are the oldest
 * waiting ones when too many wait or their buffers hold too much. A whole request goes
 * to the agent with its channel, in blocking mode again, for the command and its
 * conversation (prompts, standard input, {@code --follow}), which have no deadline.
 */
final class RequestReader implements Runnable {

    /** What serves a whole request. */
    interface Handler {
        /**
         * @param channel the client's connection, blocking
         * @param request its request
         * @param rest bytes the client sent after its request (none, from Coffer's clients)
         */
        void serve(SocketChannel channel, Wire.Request request, byte[] rest);
    }

    /** How long a connection has to deliver its request. */
    static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int MAX_WAITING = 4096;
    private static final long MAX_BUFFERED = 32L << 20;
    private static final int FIRST_BUFFER = 1024;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final UserPrincipal owner;
    private final Handler handler;
    // in arrival order, so in the order of their deadlines
    private final LinkedHashSet<Waiting> waiting = new LinkedHashSet<>();
    private long buffered;

    /**
     * @param server the bound socket, which this reader makes non-blocking
     * @param owner the only user whose connections are read
     * @param handler serves whole requests
     */
    RequestReader(ServerSocketChannel server, UserPrincipal owner, Handler handler) throws IOException {
        this.server = server;
        this.owner = owner;
        this.handler = handler;
        this.selector = Selector.open();
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** Stops reading; connections still waiting are closed. */
    void close() throws IOException {
        selector.close();
    }

    @Override
    public void run() {
        try {
            while (server.isOpen() && selector.isOpen()) {
                selector.select(expire());
                List<Waiting> whole = new ArrayList<>();
                for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext();) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key.isValid() && key.isAcceptable()) {
                        accept();
                    } else if (key.isValid() && key.isReadable()) {
                        read((Waiting) key.attachment(), whole);
                    }
                }
                if (!whole.isEmpty()) {
                    selector.selectNow(); // deregisters the channels of whole requests, to block again
                    whole.forEach(this::handOver);
                }
            }
        } catch (ClosedSelectorException | IOException stopped) {
            // the agent closes
        } finally {
            waiting.forEach(w -> closeQuietly(w.channel));
        }
    }

    /** Closes the connections past their deadline; @return milliseconds until the next deadline, 0 for none */
    private long expire() {
        long now = System.nanoTime();
        Iterator<Waiting> oldest = waiting.iterator();
        while (oldest.hasNext()) {
            Waiting next = oldest.next();
            if (next.deadline - now > 0) {
                return Math.max(1, TimeUnit.NANOSECONDS.toMillis(next.deadline - now) + 1);
            }
            oldest.remove();
            forget(next);
        }
        return 0;
    }

    private void accept() {
        for (int i = 0; i < 64; i++) {
            SocketChannel channel = null;
            try {
                channel = server.accept();
                if (channel == null) {
                    return;
                }
                if (!owner.equals(channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user())) {
                    channel.close(); // another user: not one byte is read
                    continue;
                }
                channel.configureBlocking(false);
                Waiting arrived = new Waiting(channel, System.nanoTime() + DEADLINE_NANOS);
                arrived.key = channel.register(selector, SelectionKey.OP_READ, arrived);
                waiting.add(arrived);
                buffered += arrived.bytes.length;
                trim();
            } catch (IOException e) {
                closeQuietly(channel); // one failed connection does not stop the agent
                return;
            }
        }
    }

    private void read(Waiting from, List<Waiting> whole) {
        try {
            if (from.filled == from.bytes.length) {
                grow(from);
                if (!waiting.contains(from)) {
                    return;
                }
            }
            int read = from.channel.read(ByteBuffer.wrap(from.bytes, from.filled, from.bytes.length - from.filled));
            if (read < 0) {
                drop(from);
                return;
            }
            from.filled += read;
            from.length = Wire.requestLength(from.bytes, from.filled);
            if (from.length >= 0) {
                waiting.remove(from);
                buffered -= from.bytes.length;
                from.key.cancel();
                whole.add(from);
            }
        } catch (IOException notARequest) {
            drop(from);
        }
    }

    /** Doubles a full buffer, up to the largest request; a client that sends more is not one of ours. */
    private void grow(Waiting full) {
        if (full.bytes.length >= Wire.MAX_REQUEST) {
            drop(full);
            return;
        }
        byte[] larger = Arrays.copyOf(full.bytes, Math.min(Wire.MAX_REQUEST, 2 * full.bytes.length));
        buffered += larger.length - full.bytes.length;
        Arrays.fill(full.bytes, (byte) 0); // a request forwards keyring passwords
        full.bytes = larger;
        trim();
    }

    private void trim() {
        Iterator<Waiting> oldest = waiting.iterator();
        while ((waiting.size() > MAX_WAITING || buffered > MAX_BUFFERED) && oldest.hasNext()) {
            Waiting next = oldest.next();
            oldest.remove();
            forget(next);
        }
    }

    private void handOver(Waiting done) {
        try {
            done.channel.configureBlocking(true);
            Wire.Request request = Wire.Request.read(new DataInputStream(new ByteArrayInputStream(done.bytes, 0, done.length)));
            byte[] rest = Arrays.copyOfRange(done.bytes, done.length, done.filled);
            handler.serve(done.channel, request, rest);
        } catch (IOException | RuntimeException e) {
            closeQuietly(done.channel);
        } finally {
            Arrays.fill(done.bytes, (byte) 0);
        }
    }

    private void drop(Waiting gone) {
        if (waiting.remove(gone)) {
            forget(gone);
        }
    }

    /** Closes a connection already taken out of {@link #waiting}. */
    private void forget(Waiting gone) {
        buffered -= gone.bytes.length;
        Arrays.fill(gone.bytes, (byte) 0);
        closeQuietly(gone.channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // closed already
        }
    }

    /** A connection whose request has not all arrived. */
    private static final class Waiting {
        final SocketChannel channel;
        final long deadline;
        SelectionKey key;
        byte[] bytes = new byte[FIRST_BUFFER];
        int filled;
        int length = -1;

        Waiting(SocketChannel channel, long deadline) {
            this.channel = channel;
            this.deadline = deadline;
        }
    }
}
