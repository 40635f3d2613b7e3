package org.coffer.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.coffer.client.Places;
import org.coffer.files.OwnerOnly;
import org.coffer.webconsole.internal.PasswordHash;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The Felix Web Console with Coffer's page, from the bundles of {@code web/}, for this run
 * only ({@code bin/coffer --web}, or {@code coffer.web = true} in
 * {@code etc/config.properties}). Jetty listens on 127.0.0.1:8181 unless the
 * configuration says otherwise; the user is {@code admin} and the password comes from
 * {@code COFFER_WEB_PASSWORD}, or is drawn at the first start into {@code web-password}
 * (mode 0600) of the user's state folder, which the output names; the password itself
 * is never printed (under systemd, standard error is the journal). There is no default.
 * <p>
 * The console signs in through Coffer's own security provider in the webconsole bundle,
 * which reads the user and the salted password from framework properties; the salted
 * form is the bundle's own ({@link PasswordHash}, from {@code lib/}), and the
 * console serves nothing until that provider is there
 * ({@code felix.webconsole.security.providers}): the {@code username} and
 * {@code password} of the console's configuration, which a save of it replaces, never
 * matter.
 */
final class WebConsole {

    static final String SWITCH = "coffer.web";
    static final String PASSWORD_VARIABLE = "COFFER_WEB_PASSWORD";
    static final String PASSWORD_FILE = "web-password";
    static final String USER = "admin";
    /** The framework properties the webconsole bundle's sign-in reads, and the provider it registers. */
    static final String USER_PROPERTY = "coffer.web.user";
    static final String HASH_PROPERTY = "coffer.web.password";
    static final String PROVIDER = "coffer";
    private static final String HTTP_RUNTIME = "org.osgi.service.http.runtime.HttpServiceRuntime";
    private static final long LISTEN_MILLIS = 30_000;

    private WebConsole() {
    }

    /** Sets the framework properties of the HTTP service and the Web Console, leaving what etc/ set alone. */
    static void configure(Map<String, String> config, Path state, Map<String, String> env, PrintStream err)
            throws IOException {
        config.putIfAbsent("org.apache.felix.http.host", "127.0.0.1");
        config.putIfAbsent("org.osgi.service.http.port", "8181");
        config.putIfAbsent("org.apache.felix.http.jetty.sendServerHeader", "false");
        config.put("felix.webconsole.username", USER);
        config.put(USER_PROPERTY, USER);
        config.put("felix.webconsole.security.providers", PROVIDER);
        // Jetty's own log says each start and stop on standard error; warnings are enough
        if (System.getProperty("org.eclipse.jetty.LEVEL") == null) {
            System.setProperty("org.eclipse.jetty.LEVEL", "WARN");
            System.setProperty("org.eclipse.jetty.util.log.announce", "false");
        }
        char[] password = password(state, env, err);
        try {
            // the console compares against a salted hash: the clear password is in no framework property
            String hash = PasswordHash.create(password);
            config.put(HASH_PROPERTY, hash);
            config.put("felix.webconsole.password", hash);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Installs the bundles of web/ that the cache lacks and starts them all for this run only. */
    static void start(BundleContext context, Path install, int startLevel, PrintStream err)
            throws IOException, BundleException, InterruptedException {
        Path web = install.resolve("web");
        if (!Files.isDirectory(web)) {
            throw new IOException("This install has no web/ folder with the Web Console's bundles");
        }
        ServiceTracker<Object, Object> runtime = new ServiceTracker<>(context, HTTP_RUNTIME, null);
        runtime.open();
        try {
            InstallBundles.startFolder(context, web, startLevel);
            // Jetty registers its runtime once it listens: a port in use shows as its absence
            if (runtime.waitForService(LISTEN_MILLIS) == null) {
                err.println("coffer: the Web Console is not served: Jetty did not listen within " + LISTEN_MILLIS / 1000
                        + " s (is port " + context.getProperty("org.osgi.service.http.port") + " in use? see the log)");
                return;
            }
            Object endpoint = runtime.getServiceReference().getProperty("osgi.http.endpoint");
            String first = endpoint instanceof String[] && ((String[]) endpoint).length > 0 ? ((String[]) endpoint)[0]
                    : endpoint instanceof java.util.Collection ? ((java.util.Collection<?>) endpoint).iterator().next()
                    .toString() : String.valueOf(endpoint);
            err.println("coffer: the Web Console serves " + (first.endsWith("/") ? first : first + "/")
                    + "system/console/coffer (user " + USER + ")");
        } finally {
            runtime.close();
        }
    }

    /** @return the password, from the environment or the user's file, which it makes at the first start */
    static char[] password(Path state, Map<String, String> env, PrintStream err) throws IOException {
        String given = env.get(PASSWORD_VARIABLE);
        if (given != null && !given.isEmpty()) {
            return given.toCharArray();
        }
        Path file = state.resolve(PASSWORD_FILE);
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        byte[] drawn = Base64.getUrlEncoder().withoutPadding().encode(random);
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                OwnerOnly.file())) {
            channel.write(ByteBuffer.wrap(drawn));
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
            channel.force(true);
            // never print the password: under systemd, standard error goes to the journal
            err.println("coffer: the Web Console's user is " + USER + "; its password was drawn into " + file
                    + " (mode 0600), read it there");
            return StandardCharsets.US_ASCII.decode(ByteBuffer.wrap(drawn)).array();
        } catch (FileAlreadyExistsException e) {
            return read(file);
        } finally {
            Arrays.fill(random, (byte) 0);
            Arrays.fill(drawn, (byte) 0);
        }
    }

    private static char[] read(Path file) throws IOException {
        String notPrivate = OwnerOnly.whyNotPrivateFile(file);
        if (notPrivate != null) {
            throw new IOException(notPrivate + "; it must be a file of this user's only: remove it and a new"
                    + " password is drawn, or set " + PASSWORD_VARIABLE);
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            int length = bytes.length;
            while (length > 0 && (bytes[length - 1] == '\n' || bytes[length - 1] == '\r')) {
                length--;
            }
            if (length == 0) {
                throw new IOException(file + " is empty; remove it and a new password is drawn");
            }
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, length));
            char[] password = Arrays.copyOf(chars.array(), chars.limit());
            Arrays.fill(chars.array(), '\0');
            return password;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
