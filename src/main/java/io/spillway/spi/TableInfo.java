package io.spillway.spi;

import java.util.List;
import java.util.Objects;

/** A table found in a source, with the catalogue's estimates of its size (not a count). */
public record TableInfo(String name, long estimatedRows, long estimatedBytes, List<Column> columns) {
    public TableInfo {
        Objects.requireNonNull(name, "name is null");
        columns = List.copyOf(columns);
    }
}
