package org.coffer.backend.etcd.internal;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.coffer.BackendException;

/**
 * Keeps a {@link Replica} current on its own thread: it gets the key-encryption key,
 * loads the prefix with one range read (in pages, all at the revision of the first),
 * then watches from the next revision. When the watch breaks it watches again from where
 * it was, on the next member; when etcd compacted that revision away, it loads again.
 */
final class Follower {

    private static final int PAGE = 1000;
    private static final Duration FIRST_RETRY = Duration.ofMillis(100);
    private static final Duration LAST_RETRY = Duration.ofSeconds(2);

    private final Gateway gateway;
    private final EtcdLayout layout;
    private final Supplier<Replica> replicas;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private final Thread thread;
    private volatile Replica replica;
    private volatile InputStream watch;
    private volatile String problem = "loading";
    private volatile Instant brokenSince = Instant.now();
    private volatile Instant heardAt;
    private volatile long loads;

    /**
     * @param replicas makes the replica once the key-encryption key is at hand; it
     *     throws {@link BackendException} saying why while it is not
     */
    Follower(Gateway gateway, EtcdLayout layout, Supplier<Replica> replicas, String name) {
        this.gateway = gateway;
        this.layout = layout;
        this.replicas = replicas;
        this.thread = new Thread(this::run, "coffer-" + name + "-watch");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops the watch and waits for the thread to end. */
    void stop() {
        stopped.countDown();
        firstAttempt.countDown();
        close(watch);
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits, at most that long, until the first load has succeeded or failed: a process's
     * first read waits for its copy rather than failing while the copy is being made.
     */
    void awaitFirstAttempt(Duration timeout) {
        try {
            firstAttempt.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the replica, or {@code null} before the key-encryption key was got */
    Replica replica() {
        return replica;
    }

    /** @return why the copy is not current, or {@code null} while the watch is open */
    String problem() {
        return problem;
    }

    /** @return since when the copy has not been current, or {@code null} while the watch is open */
    Instant brokenSince() {
        return problem == null ? null : brokenSince;
    }

    /** @return when etcd last answered the load or the watch, or {@code null} if never */
    Instant heardAt() {
        return heardAt;
    }

    /** @return how many times the prefix was loaded whole */
    long loads() {
        return loads;
    }

    private void run() {
        Duration retry = FIRST_RETRY;
        boolean mustLoad = true;
        while (stopped.getCount() > 0) {
            try {
                if (replica == null) {
                    replica = replicas.get();
                }
                if (mustLoad || replica.state() == null) {
                    load();
                    mustLoad = false;
                    firstAttempt.countDown();
                }
                retry = FIRST_RETRY;
                mustLoad = follow();
            } catch (IOException | RuntimeException e) {
                if (stopped.getCount() == 0) {
                    return;
                }
                broken(e instanceof IOException ? "the watch on " + gateway.current() + " broke: " + e : e.getMessage());
                firstAttempt.countDown();
                try {
                    if (stopped.await(retry.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException stopping) {
                    return;
                }
                retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
            }
        }
    }

    private void broken(String why) {
        if (problem == null) {
            brokenSince = Instant.now();
        }
        problem = why;
    }

    /** One range read of the prefix, in pages at the revision of the first. */
    private void load() {
        List<Map<String, Object>> kvs = new ArrayList<>();
        byte[] from = layout.prefix.getBytes(StandardCharsets.UTF_8);
        long revision = 0;
        while (true) {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("key", from);
            request.put("range_end", layout.rangeEnd());
            request.put("limit", PAGE);
            if (revision > 0) {
                request.put("revision", revision);
            }
            Map<String, Object> answer = gateway.call("/v3/kv/range", request);
            if (revision == 0) {
                revision = Json.number(Json.object(answer, "header"), "revision");
            }
            List<Map<String, Object>> page = Json.objects(answer, "kvs");
            kvs.addAll(page);
            if (!Boolean.TRUE.equals(answer.get("more")) || page.isEmpty()) {
                break;
            }
            byte[] last = Json.bytes(page.get(page.size() - 1), "key");
            from = Arrays.copyOf(last, last.length + 1);
        }
        replica.reset(kvs, revision);
        heardAt = Instant.now();
        loads++;
    }

    /**
     * Watches from the replica's revision on, until the stream ends or fails.
     *
     * @return whether the prefix must be loaded again (etcd compacted the revision away)
     */
    private boolean follow() throws IOException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("key", layout.prefix.getBytes(StandardCharsets.UTF_8));
        request.put("range_end", layout.rangeEnd());
        request.put("start_revision", replica.state().revision + 1);
        request.put("progress_notify", Boolean.TRUE);
        InputStream in = gateway.watch(request);
        watch = in;
        try (in; JsonParser parser = Json.FACTORY.createParser(in)) {
            for (Object answer = Json.read(parser); answer != null; answer = Json.read(parser)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) answer;
                if (object.containsKey("error")) {
                    throw new BackendException("The watch on " + gateway.current() + " failed: "
                            + Json.text(Json.object(object, "error"), "message"));
                }
                Map<String, Object> result = Json.object(object, "result");
                heardAt = Instant.now();
                if (Json.number(result, "compact_revision") > 0) {
                    broken("etcd compacted revision " + (replica.state().revision + 1) + " away; loading again");
                    return true;
                }
                if (Boolean.TRUE.equals(result.get("canceled"))) {
                    throw new BackendException("etcd at " + gateway.current() + " canceled the watch: "
                            + Json.text(result, "cancel_reason"));
                }
                problem = null;
                List<Map<String, Object>> events = Json.objects(result, "events");
                long seen = events.isEmpty() && !Boolean.TRUE.equals(result.get("created"))
                        ? Json.number(Json.object(result, "header"), "revision") : 0;
                for (Map<String, Object> event : events) {
                    seen = Math.max(seen, Json.number(Json.object(event, "kv"), "mod_revision"));
                }
                if (seen > 0) {
                    replica.apply(events, seen);
                }
            }
        } finally {
            watch = null;
        }
        throw new IOException("the member closed the watch");
    }

    private static void close(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // the watch is over either way
            }
        }
    }
}
