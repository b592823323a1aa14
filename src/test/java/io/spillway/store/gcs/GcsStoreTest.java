package io.spillway.store.gcs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.spi.JobException;
import io.spillway.spi.Store;
import io.spillway.spi.Store.StoreOutput;
import io.spillway.store.StoreContract;
import io.spillway.store.Stores;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The store contract with the real GCS client against {@link FakeGcsServer}, plus GCS's own cases. */
class GcsStoreTest extends StoreContract {
    private static FakeGcsServer server;
    private String prefix;
    private GcsStore store;

    @BeforeAll
    static void startServer() throws Exception {
        server = FakeGcsServer.start();
        server.createBucket("spillway-test");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void openStore() {
        prefix = "run-" + UUID.randomUUID();
        store = (GcsStore) Stores.open(server.dest("spillway-test", prefix) + "&chunk-size=1MiB", Map.of());
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
    }

    @Override
    protected Store store() {
        return store;
    }

    @Test
    void createIfAbsentSendsTheDoesNotExistPrecondition() throws Exception {
        store.createIfAbsent("state/plan.json", "{}".getBytes(UTF_8));
        assertThat(server.requests()).anyMatch(r -> r.startsWith("POST /upload/storage/v1/b/spillway-test/o")
                && r.contains("ifGenerationMatch=0"));
    }

    @Test
    void largeObjectsGoUpInResumableChunksAndMovesAreServerSideRewrites() throws Exception {
        byte[] big = random(3 << 20);
        try (StoreOutput out = store.create("staging/big.bin")) {
            out.stream().write(big);
            out.commit();
        }
        store.move("staging/big.bin", "table/table_000000000000.csv");

        assertThat(server.requests()).anyMatch(r -> r.contains("uploadType=resumable"))
                .filteredOn(r -> r.startsWith("PUT /upload/")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(server.requests()).anyMatch(r -> r.contains("/rewriteTo/"));
        assertThat(server.get("spillway-test", prefix + "/table/table_000000000000.csv")).hasValue(big);
        assertThat(server.get("spillway-test", prefix + "/staging/big.bin")).isEmpty();
    }

    @Test
    void anAbandonedUploadCreatesNothing() throws Exception {
        try (StoreOutput out = store.create("staging/abandoned.bin")) {
            out.stream().write(random(3 << 20)); // chunks already sent to the session
        }
        assertThat(server.names("spillway-test", prefix)).isEmpty();
    }

    @Test
    void transientErrorsAreRetriedIncludingInTheMiddleOfAnUpload() throws Exception {
        server.failNext(2, 503, "GET /storage/v1/b/spillway-test/o?");
        server.failNext(1, 429, "POST /upload/");
        server.dropNext(1, "PUT /upload/");
        server.failNext(1, 500, "PUT /upload/");
        byte[] big = random(3 << 20);
        try (StoreOutput out = store.create("t/retried.bin")) {
            out.stream().write(big);
            out.commit();
        }
        assertThat(store.list("t/")).hasSize(1);
        assertThat(store.read("t/retried.bin")).hasValue(big);
    }

    @Test
    void retriesStopAtTheirBound() {
        GcsSettings quick = GcsSettings.from(server.dest("spillway-test", prefix), Map.of())
                .withRetry(new io.spillway.retry.Retry(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(5)));
        server.failNext(3, 503, "/o/" + prefix + "%2Fflaky");
        try (GcsStore s = new GcsStore(quick)) {
            assertThatThrownBy(() -> s.read("flaky")).isInstanceOf(io.spillway.spi.ExportException.class)
                    .hasMessageContaining("spillway-test");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aMissingBucketOrPermissionIsAJobErrorNamingThem() throws Exception {
        try (Store s = Stores.open(server.dest("no-such-bucket", "x"), Map.of())) {
            assertThatThrownBy(s::checkWritable).isInstanceOf(JobException.class)
                    .hasMessageContaining("no-such-bucket").hasMessageContaining("does not exist");
        }
        server.createBucket("my-bucket");
        try (Store s = Stores.open(server.dest("my-bucket", "x"), Map.of())) {
            assertThat(s.read("missing.json")).isEmpty(); // a missing object is not a missing bucket
        }
        server.createBucket("read-only");
        server.deny("storage.objects.delete");
        try (Store s = Stores.open(server.dest("read-only", "x"), Map.of())) {
            assertThatThrownBy(s::checkWritable).isInstanceOf(JobException.class)
                    .hasMessageContaining("read-only").hasMessageContaining("storage.objects.delete");
            assertThatThrownBy(() -> s.delete("a")).isInstanceOf(JobException.class)
                    .hasMessageContaining("storage.objects.delete");
        } finally {
            server.allow("storage.objects.delete");
        }
    }
}
