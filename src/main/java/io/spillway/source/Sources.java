package io.spillway.source;

import io.spillway.source.bigquery.BigQuerySource;
import io.spillway.source.duckdb.DuckDbSource;
import io.spillway.source.mysql.MySqlSource;
import io.spillway.source.postgres.PostgresSource;
import io.spillway.source.sqlite.SqliteSource;
import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import io.spillway.spi.UriParts;
import java.util.Locale;

/** Opens the source named by a URI. */
public final class Sources {
    private Sources() {}

    public static Source open(String uri) {
        String u = uri.trim();
        String scheme = scheme(u);
        if (scheme.equals("jdbc")) {
            scheme = scheme(u.substring(5));
        }
        return switch (scheme) {
            case "duckdb" -> DuckDbSource.open(u);
            case "postgresql", "postgres" -> PostgresSource.open(u);
            case "mysql", "mariadb" -> MySqlSource.open(u);
            case "sqlite" -> SqliteSource.open(u);
            case "bigquery" -> BigQuerySource.open(u, System.getenv());
            default -> throw new JobException("unknown source '" + (u.contains("://") || !u.contains("@") ? redact(u)
                    : scheme + ":...") + "': use duckdb:PATH, postgresql://..., "
                    + "mysql://..., mariadb://..., sqlite:PATH or bigquery://PROJECT/DATASET");
        };
    }

    private static String scheme(String uri) {
        int colon = uri.indexOf(':');
        return colon < 0 ? "" : uri.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    /** The URI with any password replaced by '***', for messages and logs: see {@link UriParts#redacted()}. */
    public static String redact(String uri) {
        return UriParts.parse(uri).redacted();
    }
}
