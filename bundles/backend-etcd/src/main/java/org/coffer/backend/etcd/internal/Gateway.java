package org.coffer.backend.etcd.internal;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.coffer.Secret;

/**
 * etcd v3's JSON gateway over the JDK's {@link HttpClient}: one POST per call to the
 * member that answered last, the next one when a member refuses the connection, and
 * never longer than the timeout in all. With a user, the token of {@code
 * /v3/auth/authenticate} goes with every call and is renewed once when etcd refuses it.
 */
final class Gateway {

    /** gRPC's UNAUTHENTICATED: the token expired or the member restarted. */
    private static final int UNAUTHENTICATED = 16;

    private final List<URI> endpoints;
    private final HttpClient http;
    private final Duration timeout;
    private final String user;
    private final Supplier<Optional<Secret>> password;
    private volatile int preferred;
    private volatile String token;

    /**
     * @param endpoints the members' base URLs
     * @param tls the TLS context for https endpoints, or {@code null} for the JDK's default
     * @param user etcd's user, or empty without auth
     * @param password its password, asked for at each authentication
     * @param timeout the longest a call may take, all endpoints together
     */
    Gateway(List<URI> endpoints, SSLContext tls, String user, Supplier<Optional<Secret>> password, Duration timeout) {
        this.endpoints = List.copyOf(endpoints);
        this.timeout = timeout;
        this.user = user;
        this.password = password;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    /** @return the endpoints, comma-separated, for messages */
    String endpoints() {
        return endpoints.stream().map(URI::toString).collect(Collectors.joining(", "));
    }

    /** @return the member that answered last */
    URI current() {
        return endpoints.get(preferred);
    }

    /**
     * @param path the gateway's path, such as {@code /v3/kv/range}
     * @param body the request
     * @return etcd's answer
     * @throws EtcdException naming the endpoints if no member answered in time or etcd refused the call
     */
    Map<String, Object> call(String path, Map<String, Object> body) {
        try {
            return callOnce(path, body);
        } catch (EtcdException e) {
            if (e.code() != UNAUTHENTICATED || user.isEmpty()) {
                throw e;
            }
            token = null;
            return callOnce(path, body);
        }
    }

    private Map<String, Object> callOnce(String path, Map<String, Object> body) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String authorization = authorization(deadline);
        HttpResponse<InputStream> response = send(path, Json.write(body), authorization, deadline);
        Map<String, Object> answer = parse(response);
        if (response.statusCode() != 200) {
            throw refused(path, response.statusCode(), answer);
        }
        return answer;
    }

    /**
     * Opens a watch; its stream of answers stays open until the caller closes it or the
     * member goes away.
     *
     * @return the answers, one JSON object {@code {"result": ...}} after another
     */
    InputStream watch(Map<String, Object> createRequest) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String authorization = authorization(deadline);
        HttpResponse<InputStream> response = send("/v3/watch", Json.write(Map.of("create_request", createRequest)),
                authorization, deadline);
        if (response.statusCode() != 200) {
            Map<String, Object> answer = parse(response);
            throw refused("/v3/watch", response.statusCode(), answer);
        }
        return response.body();
    }

    private String authorization(long deadline) {
        if (user.isEmpty()) {
            return null;
        }
        String current = token;
        if (current != null) {
            return current;
        }
        Optional<Secret> secret = password.get();
        if (secret.isEmpty()) {
            throw new EtcdException("The password of etcd user '" + user + "' is not available: name a local entry"
                    + " that holds it with password.service and password.username", false, 0, null);
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", user);
        try (Secret value = secret.get()) {
            request.put("password", value.reveal());
            byte[] body = Json.write(request);
            request.clear();
            HttpResponse<InputStream> response = send("/v3/auth/authenticate", body, null, deadline);
            java.util.Arrays.fill(body, (byte) 0);
            Map<String, Object> answer = parse(response);
            if (response.statusCode() != 200) {
                throw refused("/v3/auth/authenticate as '" + user + "'", response.statusCode(), answer);
            }
            current = Json.text(answer, "token");
        }
        token = current;
        return current;
    }

    /** Sends to the preferred member, then to the others while they refuse the connection. */
    private HttpResponse<InputStream> send(String path, byte[] body, String authorization, long deadline) {
        List<String> failures = new ArrayList<>();
        int first = preferred;
        for (int i = 0; i < endpoints.size(); i++) {
            int index = (first + i) % endpoints.size();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(endpoints.get(index).resolve(path))
                    .timeout(Duration.ofNanos(left)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            try {
                HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                preferred = index;
                return response;
            } catch (HttpTimeoutException e) {
                failures.add(endpoints.get(index) + " did not answer");
                break;
            } catch (IOException e) {
                failures.add(endpoints.get(index) + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EtcdException("Interrupted while calling etcd at " + endpoints(), true, 0, e);
            }
        }
        throw new EtcdException("etcd at " + endpoints() + " did not answer " + path + " within " + timeout.toSeconds()
                + " s (is a quorum of its members up?): " + String.join("; ", failures), true, 0, null);
    }

    private Map<String, Object> parse(HttpResponse<InputStream> response) {
        try (InputStream in = response.body(); JsonParser parser = Json.FACTORY.createParser(in)) {
            Object answer = Json.read(parser);
            if (answer instanceof Map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = (Map<String, Object>) answer;
                return object;
            }
            throw new EtcdException("etcd at " + response.uri() + " answered HTTP " + response.statusCode()
                    + " without a JSON object", false, 0, null);
        } catch (IOException e) {
            throw new EtcdException("etcd at " + response.uri() + " broke off its answer: " + e, true, 0, e);
        }
    }

    private static EtcdException refused(String what, int status, Map<String, Object> answer) {
        String message = Json.text(answer, "message");
        if (message.isEmpty()) {
            message = Json.text(answer, "error");
        }
        return new EtcdException("etcd refused " + what + " (HTTP " + status + "): " + message, false,
                (int) Json.number(answer, "code"), null);
    }
}
