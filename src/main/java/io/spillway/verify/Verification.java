package io.spillway.verify;

import java.util.List;

/**
 * What {@code spillway verify} found: totals read back, and one line for each mismatch (the
 * destination does not hold what a manifest says, or the source disagrees), each warning (files
 * no manifest lists) and each note (a check that could not be made, and why).
 */
public record Verification(int tables, int files, long bytes, long rows, List<String> mismatches,
        List<String> warnings, List<String> notes) {
    public Verification {
        mismatches = List.copyOf(mismatches);
        warnings = List.copyOf(warnings);
        notes = List.copyOf(notes);
    }

    /** Whether every check held. */
    public boolean holds() {
        return mismatches.isEmpty();
    }
}
