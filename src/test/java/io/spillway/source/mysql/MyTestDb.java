package io.spillway.source.mysql;

import io.spillway.source.jdbc.Exports;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A database of its own on the local MariaDB server, dropped on close. */
final class MyTestDb implements AutoCloseable {
    final String name;
    final Connection connection;

    MyTestDb(String prefix) throws SQLException {
        this.name = Exports.unique(prefix);
        this.connection = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/?user=root&allowLocalInfile=true");
        sql("CREATE DATABASE " + MySqlSource.ident(name) + " CHARACTER SET utf8mb4", "USE " + MySqlSource.ident(name),
                "SET time_zone = '+00:00'");
    }

    String uri() {
        return "mysql://root@127.0.0.1:3306/" + name;
    }

    String q(String table) {
        return MySqlSource.ident(name) + "." + MySqlSource.ident(table);
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

    @Override
    public void close() throws SQLException {
        try {
            sql("DROP DATABASE IF EXISTS " + MySqlSource.ident(name));
        } finally {
            connection.close();
        }
    }
}
