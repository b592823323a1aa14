package io.spillway.publish;

import io.spillway.layout.Manifest;
import java.time.Instant;
import java.util.List;

/**
 * A table's publish, written down in full before its first file is moved:
 * {@code _spillway/publishing/<table>.json}. Creating it is exclusive, so at most one publish of
 * a table is under way at any time, whatever the execution; whoever finds it (a retried task,
 * another execution's task, {@code run}, {@code status}) can carry it out to the end, because it
 * says every step. Its steps are in order: the moves, the run's copy of the manifest (versioned
 * layout), the table's manifest, the deletions, the pruning of old runs, the execution's published
 * marker, the clearing of the staging folder, and last the removal of the intent itself.
 *
 * <p>{@code id} tells apart two publishes of the same table. {@code expiresAt} is when a task of
 * another execution may take an unfinished publish over: before then its owner may still be at
 * work; a task of the same execution takes it over at once, since it would do the same steps.
 */
public record PublishIntent(String id, String table, String execution, Instant plannedAt, Instant createdAt,
        Instant expiresAt, boolean versioned, int keep, List<Move> moves, Manifest manifest, List<String> deletes) {

    /** One staged file and its place in the table's folder, both relative to the destination. */
    public record Move(String from, String to, long bytes) {}

    public PublishIntent {
        moves = List.copyOf(moves);
        deletes = List.copyOf(deletes);
    }
}
