package org.coffer.spi.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The files the access policy (PID {@code org.coffer.access}) is taken from, and only
 * them: ConfigAdmin cannot tell who wrote a configuration, so a configuration of that
 * PID written any other way (a console post, a bundle) decides nothing.
 *
 * <p>The files are the framework property {@value #FILES_PROPERTY} (comma-separated, a
 * later file overriding an earlier one property by property: Coffer's launcher names the
 * install's {@code etc/} and then the user's), else {@code org.coffer.access.cfg} in
 * Karaf's {@code karaf.etc}. With neither, there is no policy file and the policy is
 * open. A file that another user could write, or that cannot be read, is not trusted: the
 * policy is then enforced with no rules but Coffer's own, and {@link #problem()} says why.
 *
 * @since 1.6
 */
public final class AccessPolicyFiles {

    /** The framework property that names the policy files. */
    public static final String FILES_PROPERTY = "coffer.access.files";
    /** The policy file's name in an {@code etc/} folder. */
    public static final String FILE_NAME = "org.coffer.access.cfg";

    private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS = Set.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);

    private final List<Path> files;
    private Object stamp = "";
    private Map<String, String> properties = Map.of();
    private String problem;

    private AccessPolicyFiles(List<Path> files) {
        this.files = List.copyOf(files);
    }

    /**
     * @param frameworkProperty the framework's properties, such as {@code BundleContext::getProperty}
     * @return the policy files the framework names
     */
    public static AccessPolicyFiles of(UnaryOperator<String> frameworkProperty) {
        List<Path> files = new ArrayList<>();
        String named = frameworkProperty.apply(FILES_PROPERTY);
        String karafEtc = frameworkProperty.apply("karaf.etc");
        if (named != null && !named.isBlank()) {
            for (String file : named.split(",")) {
                if (!file.isBlank()) {
                    files.add(Path.of(file.strip()));
                }
            }
        } else if (karafEtc != null && !karafEtc.isBlank()) {
            files.add(Path.of(karafEtc.strip(), FILE_NAME));
        }
        return new AccessPolicyFiles(files);
    }

    /** @return the files, the later overriding the earlier */
    public List<Path> files() {
        return files;
    }

    /**
     * Reads the files again when one of them was created, changed, replaced or removed
     * since the last call; a call costs one {@code stat} per file otherwise.
     *
     * @return the policy's properties, merged
     */
    public synchronized Map<String, String> current() {
        Object now = stampNow();
        if (!now.equals(stamp)) {
            stamp = now;
            read();
        }
        return properties;
    }

    /** @return why a file was not trusted at the last read, or {@code null} */
    public synchronized String problem() {
        return problem;
    }

    private void read() {
        Map<String, String> merged = new LinkedHashMap<>();
        problem = null;
        for (Path file : files) {
            if (!Files.exists(file)) {
                continue;
            }
            try {
                if (!Collections.disjoint(Files.getPosixFilePermissions(file), WRITABLE_BY_OTHERS)) {
                    throw new IOException("it is writable by other users than its owner");
                }
                Properties loaded = new Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    loaded.load(in);
                }
                loaded.stringPropertyNames().forEach(name -> merged.put(name.strip(), loaded.getProperty(name).strip()));
            } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
                problem = "The access policy file " + file + " is not used: " + (e instanceof UnsupportedOperationException
                        ? "who may write it cannot be checked here (no POSIX modes: Windows)" : e.getMessage())
                        + "; the policy is enforced with Coffer's own rights only until it is fixed";
                merged.clear();
                merged.put("policy", "enforce");
                break;
            }
        }
        properties = Map.copyOf(merged);
    }

    private Object stampNow() {
        List<Object> parts = new ArrayList<>();
        for (Path file : files) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                parts.add(List.of(String.valueOf(attributes.fileKey()), attributes.lastModifiedTime(),
                        attributes.size()));
            } catch (IOException e) {
                parts.add("missing");
            }
        }
        return parts;
    }
}
