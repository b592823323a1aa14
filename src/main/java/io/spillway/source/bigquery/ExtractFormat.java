package io.spillway.source.bigquery;

import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.JobException;
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
 * Compressions are matched by name. Spillway's own writers allow more (zstd for csv, jsonl and
 * avro): a compression BigQuery does not allow for the format is refused here. Avro is extracted
 * with {@code useAvroLogicalTypes}, so dates and timestamps get Avro's logical types.
 *
 * @param destinationFormat BigQuery's name of the format
 * @param compression       BigQuery's name of the compression
 * @param suffix            how the extracted files' names end, such as {@code .csv.gz}
 */
record ExtractFormat(String destinationFormat, String compression, String suffix) {
    private static final Map<String, List<String>> COMPRESSIONS = Map.of(
            "CSV", List.of("NONE", "GZIP"),
            "NEWLINE_DELIMITED_JSON", List.of("NONE", "GZIP"),
            "PARQUET", List.of("NONE", "SNAPPY", "GZIP", "ZSTD"),
            "AVRO", List.of("NONE", "DEFLATE", "SNAPPY"));

    static ExtractFormat of(Format format, Compression compression) {
        String f = switch (format) {
            case CSV -> "CSV";
            case JSONL -> "NEWLINE_DELIMITED_JSON";
            case PARQUET -> "PARQUET";
            case AVRO -> "AVRO";
        };
        String c = compression.name();
        List<String> allowed = COMPRESSIONS.get(f);
        if (!allowed.contains(c)) {
            throw new JobException("BigQuery extracts --format " + format + " with --compression "
                    + String.join(", ", allowed.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList()) + ", not "
                    + compression);
        }
        return new ExtractFormat(f, c, format.suffix(compression));
    }

    boolean csv() {
        return destinationFormat.equals("CSV");
    }
}
