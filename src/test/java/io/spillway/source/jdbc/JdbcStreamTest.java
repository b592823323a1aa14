package io.spillway.source.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link JdbcSource#stream} on a real driver's result set, around the rows it streams in one call. */
class JdbcStreamTest {
    @Test
    void streamsEveryRowInOrderWhateverTheCountAgainstItsCalls() throws Exception {
        int max = JdbcSource.ROWS_PER_CALL;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement s = c.createStatement()) {
            for (int count : new int[] {0, 1, max - 1, max, max + 1, 2 * max, 2 * max + 7}) {
                List<Long> seen = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("WITH RECURSIVE n(i) AS (SELECT 1 WHERE " + count + " > 0"
                        + " UNION ALL SELECT i + 1 FROM n WHERE i < " + count + ") SELECT i, 'row ' || i FROM n")) {
                    long streamed = JdbcSource.stream(rs, List.of(ColumnReader.LONG, ColumnReader.STRING), row -> {
                        assertThat(row[1]).isEqualTo("row " + row[0]);
                        seen.add((Long) row[0]);
                    });
                    assertThat(streamed).as("%d rows", count).isEqualTo(count);
                }
                assertThat(seen).as("%d rows", count).hasSize(count);
                for (int i = 0; i < count; i++) {
                    assertThat(seen.get(i)).isEqualTo(i + 1L);
                }
            }
        }
    }
}
