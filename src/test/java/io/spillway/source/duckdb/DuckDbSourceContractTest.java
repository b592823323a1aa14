package io.spillway.source.duckdb;

import io.spillway.source.SourceContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

class DuckDbSourceContractTest extends SourceContract {
    private Path dir;

    @Override
    protected String prepare(List<String> statements) throws Exception {
        dir = Files.createTempDirectory("spillway-contract");
        Path db = dir.resolve("contract.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
        return "duckdb:" + db;
    }

    @Override
    protected String missingUri() {
        return "duckdb:" + dir.resolve("no-such.duckdb");
    }

    @Override
    protected void cleanUp() throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
