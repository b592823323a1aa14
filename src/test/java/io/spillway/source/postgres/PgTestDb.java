package io.spillway.source.postgres;

import io.spillway.format.ShardFile;
import io.spillway.format.ShardWriter;
import io.spillway.source.jdbc.Exports;
import io.spillway.spi.Compression;
import io.spillway.spi.Format;
import io.spillway.spi.Store;
import io.spillway.spi.Unit;
import io.spillway.store.local.LocalStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** A schema of its own in the local server's database {@code test}, dropped on close. */
final class PgTestDb implements AutoCloseable {
    static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    final String schema;
    final Connection connection;

    PgTestDb(String prefix) throws SQLException {
        this(Exports.unique(prefix), true);
    }

    PgTestDb(String schema, boolean create) throws SQLException {
        this.schema = schema;
        this.connection = DriverManager.getConnection(JDBC);
        if (create) {
            sql("CREATE SCHEMA " + PostgresSource.ident(schema));
        }
    }

    /** The CSV files of one unit exported by {@code source} (which is closed after) under {@code prefix} of {@code dir}, one after another. */
    static byte[] exportCsv(PostgresSource source, Unit unit, Path dir, String prefix) throws Exception {
        try (source; LocalStore store = new LocalStore(dir);
                ShardWriter out = new ShardWriter(store, prefix, Format.CSV, Compression.NONE, 1L << 30)) {
            source.export(unit, out);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (ShardFile f : out.finish()) {
                all.writeBytes(Files.readAllBytes(dir.resolve(f.path())));
            }
            return all.toByteArray();
        }
    }

    /** {@code store}, except that its {@code n}th {@code create} fails with "no space left on the test store". */
    static Store failingAtCreate(Store store, int n) {
        AtomicInteger creates = new AtomicInteger();
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("create") && creates.incrementAndGet() == n) {
                        throw new IOException("no space left on the test store");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    String uri() {
        return "postgresql://postgres@127.0.0.1:5432/test?schema=" + URLEncoder.encode(schema, StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    String q(String table) {
        return PostgresSource.ident(schema) + "." + PostgresSource.ident(table);
    }

    void sql(String... statements) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    long count(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** What the catalogue weighs {@code table} at: the main fork of its heap and of its TOAST heap. */
    long scannedBytes(String table) throws SQLException {
        return count("SELECT pg_relation_size(c.oid) + coalesce(pg_relation_size(nullif(c.reltoastrelid, 0)), 0)"
                + " FROM pg_class c WHERE c.oid = '" + q(table).replace("'", "''") + "'::regclass");
    }

    String text(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            sql("DROP SCHEMA IF EXISTS " + PostgresSource.ident(schema) + " CASCADE");
        } finally {
            connection.close();
        }
    }
}
