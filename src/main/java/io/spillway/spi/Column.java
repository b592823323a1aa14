package io.spillway.spi;

import java.util.Objects;

/** A column as the source names and types it. */
public record Column(String name, String type) {
    public Column {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(type, "type is null");
    }
}
