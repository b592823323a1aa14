import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** Makes a DuckDB file with one table "big" of about SIZE MiB as CSV (about 100 bytes a row). */
public class MakeTable {
    public static void main(String[] args) throws Exception {
        long rows = Long.parseLong(args[1]) * (1 << 20) / 100;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0]); Statement s = c.createStatement()) {
            s.execute("SET autoinstall_known_extensions = false");
            s.execute("SET autoload_known_extensions = false");
            s.execute("CREATE TABLE big AS SELECT i AS id, i % 1000 AS customer_id, round(i * 1.37 % 1000, 2)::DOUBLE"
                    + " AS amount, DATE '2024-01-01' + (i % 365)::INTEGER AS day, 'status-' || (i % 97) || '-'"
                    + " || md5(i::VARCHAR) AS note FROM range(" + rows + ") t(i)");
        }
        System.out.println("made table big with " + rows + " rows in " + args[0]);
    }
}
