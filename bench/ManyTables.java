import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** Makes a DuckDB file with N empty tables t000000.. (an id and a text): a row would take a 256 KiB block each. */
public class ManyTables {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0]); Statement s = c.createStatement()) {
            s.execute("SET autoinstall_known_extensions = false");
            s.execute("SET autoload_known_extensions = false");
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                String t = String.format("t%06d", i);
                s.execute("CREATE TABLE " + t + " (id BIGINT, v VARCHAR)");
                if (i % 5000 == 4999) {
                    c.commit();
                }
            }
            c.commit();
        }
        System.out.println("made " + n + " tables in " + args[0]);
    }
}
