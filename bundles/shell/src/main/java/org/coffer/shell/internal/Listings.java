package org.coffer.shell.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coffer.BackendInfo;
import org.coffer.Diagnosis;
import org.coffer.shell.internal.Commands.Failure;

/** How {@code keyring:backends} and {@code keyring:diagnose} print: a table or JSON. */
final class Listings {

    private Listings() {
    }

    static void backends(PrintStream out, List<BackendInfo> backends, boolean json) throws Failure {
        if (json) {
            List<Object> list = new ArrayList<>();
            for (BackendInfo b : backends) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("name", b.name());
                item.put("ranking", b.ranking());
                item.put("active", b.active());
                item.put("viable", b.viable());
                item.put("locked", b.locked());
                item.put("description", b.description());
                item.put("reason", b.reason());
                list.add(item);
            }
            out.println(Json.write(list));
            return;
        }
        if (backends.isEmpty()) {
            throw new Failure(1, "No keyring backend is available. Install one, for example"
                    + " org.coffer.backend.plaintext, into deploy/.");
        }
        int width = backends.stream().mapToInt(b -> b.name().length()).max().orElse(4);
        out.println(String.format("  %-" + width + "s  %7s  %s", "NAME", "RANKING", "DESCRIPTION"));
        for (BackendInfo b : backends) {
            String marker = b.active() ? "*" : b.viable() ? " " : "-";
            String text = b.viable() ? b.description() + (b.locked() ? " [locked]" : "")
                    : "not available: " + b.reason();
            out.println(String.format("%s %-" + width + "s  %7d  %s", marker, b.name(), b.ranking(), text));
        }
    }

    static void diagnoses(PrintStream out, List<Diagnosis> all, boolean json) {
        if (json) {
            List<Object> list = new ArrayList<>();
            for (Diagnosis d : all) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("subject", d.subject());
                item.put("details", d.details());
                item.put("warnings", d.warnings());
                list.add(item);
            }
            out.println(Json.write(list));
            return;
        }
        for (Diagnosis d : all) {
            out.println(d.subject());
            d.details().forEach((k, v) -> out.println("  " + k + ": " + v));
            d.warnings().forEach(w -> out.println("  WARNING: " + w));
        }
    }
}
