package org.coffer.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a start spends its time, phase by phase, printed to standard error at exit when
 * {@code COFFER_TIMING=1}: the JVM up to the launcher, the framework's init, the
 * installation of the bundles, their start, etc/ into ConfigAdmin, the start level,
 * the command, the stop. Off, it records nothing.
 */
final class Timing {

    static final Timing START = new Timing(System.getenv("COFFER_TIMING") != null);

    private final boolean on;
    private final List<String> phases = new ArrayList<>();
    private final List<Long> ends = new ArrayList<>();

    private Timing(boolean on) {
        this.on = on;
        if (on) {
            phases.add("jvm and client up to the launcher");
            ends.add(System.nanoTime());
        }
    }

    /** @param phase the phase that ends now */
    synchronized void mark(String phase) {
        if (on) {
            phases.add(phase);
            ends.add(System.nanoTime());
        }
    }

    synchronized void report(PrintStream err) {
        if (!on) {
            return;
        }
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        long launcher = System.currentTimeMillis() - (System.nanoTime() - ends.get(0)) / 1_000_000;
        StringBuilder text = new StringBuilder("coffer: timing (ms):");
        text.append(' ').append(phases.get(0)).append(' ').append(launcher - jvmStart);
        for (int i = 1; i < phases.size(); i++) {
            text.append(", ").append(phases.get(i)).append(' ').append((ends.get(i) - ends.get(i - 1)) / 1_000_000);
        }
        err.println(text);
    }
}
