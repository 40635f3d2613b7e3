package org.coffer.keyringfile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.coffer.files.IniFile;

/**
 * The entries in which one version of a keyring file differs from another, to carry to
 * a third: what another program wrote into a file Coffer replaced, or what Coffer wrote
 * and another program's rewrite undid. Holds encoded values, never shown.
 */
final class KeyringFileDiff {

    static final KeyringFileDiff NONE = new KeyringFileDiff(List.of());

    /** Section, option, value before (or {@code null}), value after (or {@code null}: removed). */
    private final List<String[]> entries;

    private KeyringFileDiff(List<String[]> entries) {
        this.entries = entries;
    }

    static KeyringFileDiff between(IniFile before, IniFile after) {
        List<String[]> entries = new ArrayList<>();
        for (String section : after.sections()) {
            after.options(section).forEach((option, value) -> {
                String old = before.get(section, option).orElse(null);
                if (!same(value, old)) {
                    entries.add(new String[] {section, option, old, value});
                }
            });
        }
        for (String section : before.sections()) {
            before.options(section).forEach((option, value) -> {
                if (after.get(section, option).isEmpty()) {
                    entries.add(new String[] {section, option, value, null});
                }
            });
        }
        return new KeyringFileDiff(entries);
    }

    /**
     * Two values as a read of the file gives them back: Python's configparser, as Coffer's
     * parser, strips a value's trailing whitespace, so {@code "\ndg==\n"} (a value as
     * base64 writes it) is read as {@code "\ndg=="}. Compared as written, every write of such
     * a value would look undone by the next read.
     */
    static boolean same(String a, String b) {
        return a == null || b == null ? a == b : a.stripTrailing().equals(b.stripTrailing());
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** @return the entries set or changed, without those removed */
    KeyringFileDiff sets() {
        List<String[]> sets = new ArrayList<>();
        for (String[] entry : entries) {
            if (entry[3] != null) {
                sets.add(entry);
            }
        }
        return new KeyringFileDiff(sets);
    }

    /**
     * @param ini a later version
     * @return the entries that version has as they were before: a program that wrote it
     *         started from a version without them, so its rewrite undid them; an entry it
     *         changed to a value of its own is its own newer change, and left out
     */
    KeyringFileDiff undoneIn(IniFile ini) {
        List<String[]> undone = new ArrayList<>();
        for (String[] entry : entries) {
            String now = ini.get(entry[0], entry[1]).orElse(null);
            if (!same(now, entry[3]) && same(now, entry[2])) {
                undone.add(entry);
            }
        }
        return new KeyringFileDiff(undone);
    }

    /** @return a change that gives the entries their values after, returning whether any was not so */
    Function<IniFile, Boolean> change() {
        return ini -> {
            boolean changed = false;
            for (String[] entry : entries) {
                if (same(ini.get(entry[0], entry[1]).orElse(null), entry[3])) {
                    continue;
                }
                if (entry[3] == null) {
                    ini.remove(entry[0], entry[1]);
                } else {
                    ini.set(entry[0], entry[1], entry[3]);
                }
                changed = true;
            }
            return changed;
        };
    }

    /** @return both diffs, the second's entries applied last */
    KeyringFileDiff and(KeyringFileDiff other) {
        List<String[]> both = new ArrayList<>(entries);
        both.addAll(other.entries);
        return new KeyringFileDiff(both);
    }
}
