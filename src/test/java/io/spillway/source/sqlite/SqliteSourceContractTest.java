package io.spillway.source.sqlite;

import io.spillway.source.SourceContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

class SqliteSourceContractTest extends SourceContract {
    private Path dir;

    @Override
    protected String prepare(List<String> statements) throws Exception {
        dir = Files.createTempDirectory("spillway-contract");
        Path db = dir.resolve("contract.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
        return "sqlite:" + db;
    }

    @Override
    protected String missingUri() {
        return "sqlite:" + dir.resolve("no-such.sqlite");
    }

    @Override
    protected void cleanUp() throws Exception {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
