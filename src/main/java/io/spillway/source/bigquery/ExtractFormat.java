package io.spillway.source.bigquery;

import io.spillway.format.Compression;
import io.spillway.format.Format;
import io.spillway.job.JobException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An export format as an extract job names it, with the compressions BigQuery allows for it:
 *
 * <table>
 * <tr><th>--format<th>destinationFormat<th>--compression
 * <tr><td>csv<td>CSV<td>none, gzip (the whole file)
 * <tr><td>jsonl<td>NEWLINE_DELIMITED_JSON<td>none, gzip (the whole file)
 * <tr><td>parquet<td>PARQUET<td>none, snappy, gzip, zstd (inside the file)
 * <tr><td>avro<td>AVRO<td>none, deflate, snappy (inside the file)
 * </table>
 *
 * Formats and compressions are matched by name, so the table holds whichever of them
 * {@link Format} and {@link Compression} offer.
 *
 * @param destinationFormat BigQuery's name of the format
 * @param compression       BigQuery's name of the compression
 * @param suffix            how the extracted files' names end, such as {@code .csv.gz}
 */
record ExtractFormat(String destinationFormat, String compression, String suffix) {
    private static final Map<String, String> FORMATS = Map.of("CSV", "CSV", "JSONL", "NEWLINE_DELIMITED_JSON",
            "PARQUET", "PARQUET", "AVRO", "AVRO");
    private static final Map<String, List<String>> COMPRESSIONS = Map.of(
            "CSV", List.of("NONE", "GZIP"),
            "NEWLINE_DELIMITED_JSON", List.of("NONE", "GZIP"),
            "PARQUET", List.of("NONE", "SNAPPY", "GZIP", "ZSTD"),
            "AVRO", List.of("NONE", "DEFLATE", "SNAPPY"));

    static ExtractFormat of(Format format, Compression compression) {
        String f = FORMATS.get(format.name());
        if (f == null) {
            throw new JobException("BigQuery cannot extract --format " + format + ": use csv, jsonl or parquet");
        }
        String c = compression.name();
        List<String> allowed = COMPRESSIONS.get(f);
        if (!allowed.contains(c)) {
            throw new JobException("BigQuery extracts --format " + format + " with --compression "
                    + String.join(", ", allowed.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList()) + ", not "
                    + compression);
        }
        boolean wholeFile = f.equals("CSV") || f.equals("NEWLINE_DELIMITED_JSON");
        return new ExtractFormat(f, c, "." + format.extension() + (wholeFile ? compression.suffix() : ""));
    }

    boolean csv() {
        return destinationFormat.equals("CSV");
    }
}
