package io.spillway.format;

import io.spillway.spi.TypeDialect;
import java.util.Locale;
import java.util.Objects;

/**
 * What a source's column type name means, for formats that carry a schema (Parquet, Avro). The one
 * place where the type names of DuckDB, PostgreSQL ({@code int4}, {@code numeric(12,2)},
 * {@code timestamptz}, {@code _int4}), MySQL/MariaDB ({@code bigint unsigned}, {@code datetime(6)})
 * and SQLite are read. Anything not recognised is a {@link Kind#STRING}, written in the text form
 * of {@link Values}, so no value is ever lost to an unknown type.
 *
 * <p>Names are read as DuckDB, PostgreSQL and MySQL mean them ({@link TypeDialect#STANDARD}):
 * {@code integer} is 32-bit and {@code real}/{@code float} 4-byte. SQLite's declared types mean
 * something else and are read by its affinity rules ({@link TypeDialect#SQLITE}). Integers wider than
 * 64 bits ({@code HUGEINT}) and decimals wider than 38 digits or without a declared precision
 * ({@code numeric}) are strings: exact, where a Parquet or Avro decimal or double might not be.
 */
public record ColumnType(Kind kind, int precision, int scale, ColumnType element) {
    public static final int MAX_DECIMAL_PRECISION = 38;

    public enum Kind {
        BOOLEAN, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, FLOAT, DOUBLE, DECIMAL,
        STRING, JSON, BINARY, UUID, DATE, TIME, TIME_UTC, TIMESTAMP, TIMESTAMP_UTC, LIST
    }

    public ColumnType {
        Objects.requireNonNull(kind, "kind is null");
        if ((kind == Kind.LIST) != (element != null)) {
            throw new IllegalArgumentException("a list, and only a list, has an element type");
        }
    }

    static ColumnType of(Kind kind) {
        return new ColumnType(kind, 0, 0, null);
    }

    static ColumnType decimal(int precision, int scale) {
        return new ColumnType(Kind.DECIMAL, precision, scale, null);
    }

    static ColumnType list(ColumnType element) {
        return new ColumnType(Kind.LIST, 0, 0, element);
    }

    /** Reads a type name as DuckDB, PostgreSQL and MySQL mean it; never fails. */
    public static ColumnType parse(String typeName) {
        return parse(typeName, TypeDialect.STANDARD);
    }

    /** Reads a source's type name; never fails. */
    public static ColumnType parse(String typeName, TypeDialect dialect) {
        String t = typeName.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (dialect == TypeDialect.SQLITE) {
            return sqlite(t);
        }
        if (t.endsWith("]")) { // DuckDB INTEGER[] and INTEGER[3], PostgreSQL integer[]
            int open = t.lastIndexOf('[');
            return open > 0 ? list(parse(t.substring(0, open))) : of(Kind.STRING);
        }
        if (t.startsWith("_") && t.length() > 1) { // PostgreSQL's udt_name of an array: _int4
            return list(parse(t.substring(1)));
        }
        if (t.equals("array")) { // information_schema's data_type of any PostgreSQL array
            return list(of(Kind.STRING));
        }
        int open = t.indexOf('(');
        int close = t.lastIndexOf(')');
        String base = (open < 0 ? t : t.substring(0, open)).trim();
        String args = open < 0 || close < open ? null : t.substring(open + 1, close);
        String suffix = open < 0 || close < open ? "" : t.substring(close + 1).trim();
        boolean unsigned = suffix.contains("unsigned") || base.contains(" unsigned");
        boolean withZone = suffix.contains("with time zone") || base.endsWith(" with time zone");
        base = base.replaceAll(" (unsigned|zerofill|with time zone|without time zone)", "");
        return switch (base) {
            case "bool", "boolean", "logical" -> of(Kind.BOOLEAN);
            case "tinyint", "int1" -> of(unsigned ? Kind.UINT8 : Kind.INT8);
            case "utinyint" -> of(Kind.UINT8);
            case "smallint", "int2", "smallserial", "serial2", "short", "year" -> of(unsigned ? Kind.UINT16 : Kind.INT16);
            case "usmallint" -> of(Kind.UINT16);
            case "mediumint" -> of(Kind.INT32);
            case "integer", "int", "int4", "serial", "serial4", "signed" -> of(unsigned ? Kind.UINT32 : Kind.INT32);
            case "uinteger" -> of(Kind.UINT32);
            case "bigint", "int8", "bigserial", "serial8", "long", "oid" -> of(unsigned ? Kind.UINT64 : Kind.INT64);
            case "ubigint" -> of(Kind.UINT64);
            case "real", "float4", "float" -> args == null || precisionOf(args, 24) <= 24 ? of(Kind.FLOAT) : of(Kind.DOUBLE);
            case "double", "double precision", "float8" -> of(Kind.DOUBLE);
            case "decimal", "numeric", "dec", "fixed" -> decimal(args);
            case "date" -> of(Kind.DATE);
            case "time", "timetz" -> of(withZone || base.equals("timetz") ? Kind.TIME_UTC : Kind.TIME);
            case "timestamp", "datetime", "datetime2", "timestamp_s", "timestamp_ms", "timestamp_us", "timestamp_ns",
                    "timestamptz" -> of(withZone || base.equals("timestamptz") ? Kind.TIMESTAMP_UTC : Kind.TIMESTAMP);
            case "uuid" -> of(Kind.UUID);
            case "json", "jsonb" -> of(Kind.JSON);
            case "blob", "bytea", "binary", "varbinary", "tinyblob", "mediumblob", "longblob", "bytes", "geometry",
                    "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                    "geometrycollection" -> of(Kind.BINARY);
            default -> of(Kind.STRING);
        };
    }

    private static ColumnType sqlite(String t) {
        if (t.contains("int")) {
            return of(Kind.INT64);
        }
        if (t.contains("char") || t.contains("clob") || t.contains("text")) {
            return of(Kind.STRING);
        }
        if (t.contains("real") || t.contains("floa") || t.contains("doub")) {
            return of(Kind.DOUBLE);
        }
        if (t.contains("blob")) {
            return of(Kind.BINARY);
        }
        return of(t.startsWith("bool") ? Kind.BOOLEAN : Kind.STRING);
    }

    private static ColumnType decimal(String args) {
        if (args == null) {
            return of(Kind.STRING); // PostgreSQL's numeric without a precision holds any number of digits
        }
        String[] parts = args.split(",");
        int precision = precisionOf(parts[0], -1);
        int scale = parts.length > 1 ? precisionOf(parts[1], -1) : 0;
        if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale < 0 || scale > precision) {
            return of(Kind.STRING);
        }
        return decimal(precision, scale);
    }

    private static int precisionOf(String text, int otherwise) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
            case LIST -> element + "[]";
            default -> kind.name();
        };
    }
}
