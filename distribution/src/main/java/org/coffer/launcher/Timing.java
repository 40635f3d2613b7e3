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

    /** Records how long each bundle takes from STARTING to STARTED (its activator and SCR's immediate components). */
    void watch(org.osgi.framework.BundleContext context) {
        if (!on) {
            return;
        }
        java.util.Map<Long, Long> starting = new java.util.concurrent.ConcurrentHashMap<>();
        context.addBundleListener((org.osgi.framework.SynchronousBundleListener) event -> {
            long id = event.getBundle().getBundleId();
            if (event.getType() == org.osgi.framework.BundleEvent.STARTING) {
                starting.put(id, System.nanoTime());
            } else if (event.getType() == org.osgi.framework.BundleEvent.STARTED && starting.containsKey(id)) {
                synchronized (this) {
                    bundles.add(new Object[] {(System.nanoTime() - starting.get(id)) / 1_000_000,
                            event.getBundle().getSymbolicName()});
                }
            }
        });
    }

    private final List<Object[]> bundles = new ArrayList<>();

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
        bundles.sort((a, b) -> Long.compare((Long) b[0], (Long) a[0]));
        StringBuilder slowest = new StringBuilder("coffer: timing, slowest bundle starts (ms):");
        bundles.stream().limit(8).forEach(b -> slowest.append(' ').append(b[1]).append(' ').append(b[0]).append(','));
        err.println(slowest.substring(0, slowest.length() - 1));
    }
}
