package io.spillway.spi;

/** How a source's type names are to be read. */
public enum TypeDialect {
    /** DuckDB, PostgreSQL ({@code format_type} or {@code udt_name}), MySQL/MariaDB ({@code COLUMN_TYPE}). */
    STANDARD,
    /**
     * SQLite's declared types, by the affinity rules of its documentation: a name containing INT
     * is a 64-bit integer; CHAR, CLOB or TEXT a string; REAL, FLOA or DOUB a double; BLOB binary;
     * BOOL a boolean; anything else (NUMERIC, DATE, no type), which may hold values of any
     * storage class, a string.
     */
    SQLITE
}
