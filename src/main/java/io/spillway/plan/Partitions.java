package io.spillway.plan;

import io.spillway.config.JobConfig;
import io.spillway.config.JobConfig.PartitionRule;
import io.spillway.format.ColumnType;
import io.spillway.spi.Column;
import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import io.spillway.spi.TableInfo;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Which {@code --partition-by} rule applies to a table, and whether the table and source can take it. */
public final class Partitions {
    private static final Set<ColumnType.Kind> DATED = Set.of(ColumnType.Kind.DATE, ColumnType.Kind.TIMESTAMP,
            ColumnType.Kind.TIMESTAMP_UTC);

    private Partitions() {}

    /** The first rule whose glob matches {@code table}. */
    public static Optional<PartitionRule> of(List<PartitionRule> rules, String table) {
        return rules.stream().filter(r -> TableFilter.regex(r.table()).matcher(table).matches()).findFirst();
    }

    /**
     * Refuses, before anything is exported, a rule the table cannot take: a column it does not have, a
     * granularity on a column that is not a date or timestamp, a column named {@code run} (the folders of
     * {@code --layout versioned}), or a source that cannot hand over rows one by one (BigQuery).
     */
    static void check(Source source, JobConfig config, TableInfo table) {
        Optional<PartitionRule> found = of(config.partitions(), table.name());
        if (found.isEmpty()) {
            return;
        }
        PartitionRule rule = found.get();
        String flag = "--partition-by " + rule + ": ";
        if (!source.writesRows()) {
            throw new JobException(flag + source.uri() + " exports on its own server, which cannot split a table"
                    + " by value; drop --partition-by for table " + table.name() + " (see docs/formats.md)");
        }
        Optional<Column> column = table.columns().stream().filter(c -> c.name().equals(rule.column())).findFirst();
        if (column.isEmpty()) {
            throw new JobException(flag + "table " + table.name() + " has no column " + rule.column() + " (its columns: "
                    + String.join(", ", table.columns().stream().map(Column::name).toList()) + ")");
        }
        if (rule.granularity() != null && !DATED.contains(ColumnType.parse(column.get().type()).kind())) {
            throw new JobException(flag + "column " + rule.column() + " of table " + table.name() + " is "
                    + column.get().type() + ", not a date or timestamp: drop :" + rule.granularityName());
        }
        if (rule.granularity() == null && rule.column().toLowerCase(Locale.ROOT).equals("run")) {
            throw new JobException(flag + "a column named run would make folders run=..., which are the runs of"
                    + " --layout versioned; partition by run with a granularity, or by another column");
        }
    }
}
