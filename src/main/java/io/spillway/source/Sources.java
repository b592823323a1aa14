package io.spillway.source;

import io.spillway.job.JobException;
import io.spillway.source.bigquery.BigQuerySource;
import io.spillway.source.duckdb.DuckDbSource;
import java.util.Locale;

/** Opens the source named by a URI. */
public final class Sources {
    private Sources() {}

    public static Source open(String uri) {
        String u = uri.trim();
        int colon = u.indexOf(':');
        String scheme = colon < 0 ? "" : u.substring(0, colon).toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "duckdb" -> DuckDbSource.open(u);
            case "bigquery" -> BigQuerySource.open(u, System.getenv());
            default -> throw new JobException("unknown source '" + redact(u) + "': use duckdb:PATH, postgresql://..., "
                    + "mysql://..., mariadb://..., sqlite:PATH or bigquery://PROJECT/DATASET");
        };
    }

    /** The URI with any password replaced by '***', for messages and logs. */
    public static String redact(String uri) {
        return uri.replaceAll("(//[^/:@]*:)[^@/]*@", "$1***@")
                .replaceAll("(?i)((?:password|pass|pwd)=)[^&]*", "$1***");
    }
}
