package io.spillway.source.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.source.TableInfo;
import io.spillway.store.gcs.FakeGcsServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The source with the real BigQuery client against {@link FakeBigQueryServer}. */
class BigQuerySourceTest {
    private static FakeGcsServer gcs;
    private static FakeBigQueryServer bq;

    @BeforeAll
    static void start() throws Exception {
        gcs = FakeGcsServer.start();
        gcs.createBucket("exports");
        bq = FakeBigQueryServer.start(gcs);
    }

    @AfterAll
    static void stop() {
        bq.close();
        gcs.close();
    }

    @Test
    void listsTablesWithTheirSizesAndSkipsWhatExtractJobsCannotRead() throws Exception {
        TestDataset data = TestDataset.create(bq, "spillway-test", "listing", 3);
        bq.createOther("spillway-test", "listing", "a_view", "VIEW");
        bq.createOther("spillway-test", "listing", "a_mview", "MATERIALIZED_VIEW");
        bq.createOther("spillway-test", "listing", "an_external", "EXTERNAL");

        try (BigQuerySource source = BigQuerySource.open(bq.source("spillway-test", "listing"), Map.of())) {
            List<TableInfo> tables = source.tables();

            assertThat(tables).extracting(TableInfo::name).containsExactly("t_01", "t_02", "t_03");
            TableInfo first = tables.get(0);
            assertThat(first.estimatedRows()).isEqualTo(data.tables.get("t_01").size());
            assertThat(first.estimatedBytes()).isPositive();
            assertThat(first.columns()).extracting(c -> c.name() + " " + c.type())
                    .containsExactly("id INT64", "name STRING", "score FLOAT64", "active BOOL", "note STRING");
        }
    }
}
