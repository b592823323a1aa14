package io.spillway.store.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.spi.JobException;
import io.spillway.spi.Store;
import io.spillway.spi.Store.StoreOutput;
import io.spillway.store.StoreContract;
import io.spillway.store.Stores;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;

/** The store contract against a real S3-compatible server (S3Proxy on loopback), plus what only S3 has. */
class S3StoreTest extends StoreContract {
    private static final int PART = 5 << 20;
    private static S3Server server;
    private S3Store store;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Server.inMemory();
        server.createBucket("spillway-test");
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void openStore() {
        store = (S3Store) Stores.open(server.dest("spillway-test", "run-" + UUID.randomUUID()) + "&part-size=5MiB",
                server.env());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Override
    protected Store store() {
        return store;
    }

    @Override
    protected int bigObjectSize() {
        return 3 * PART + 12345; // four parts of a multipart upload
    }

    @Test
    void anUploadClosedWithoutCommitIsAborted() throws Exception {
        try (StoreOutput out = store.create("t/abandoned.bin")) {
            out.stream().write(random(2 * PART + 1));
            assertThat(uploads("t/").uploads()).hasSize(1);
        }
        assertThat(uploads("t/").uploads()).isEmpty();
        assertThat(store.list("t/")).isEmpty();
    }

    @Test
    void deleteAllAbortsUploadsAKilledWriterLeftBehind() throws Exception {
        StoreOutput killed = store.create("staging/e1/t/0/token/000000.csv");
        killed.stream().write(random(PART + 1)); // a part is sent, then the writer "dies" without closing
        assertThat(uploads("staging/").uploads()).hasSize(1);

        store.deleteAll("staging/e1/t/");

        assertThat(uploads("staging/").uploads()).isEmpty();
    }

    @Test
    void aMissingBucketIsAJobErrorNamingIt() throws Exception {
        try (Store s = Stores.open(server.dest("no-such-bucket", "x"), server.env())) {
            assertThatThrownBy(s::checkWritable).isInstanceOf(JobException.class)
                    .hasMessageContaining("no-such-bucket").hasMessageContaining("does not exist");
        }
    }

    @Test
    void aWrongSecretIsAJobErrorThatShowsNoSecret() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(server.env());
        env.put("AWS_SECRET_ACCESS_KEY", "wrong-secret-value");
        try (Store s = Stores.open(server.dest("spillway-test", "x"), env)) {
            assertThatThrownBy(s::checkWritable).isInstanceOf(JobException.class)
                    .hasMessageContaining("spillway-test")
                    .hasMessageNotContaining("wrong-secret-value");
        }
    }

    @Test
    void theFallbackWithoutConditionalWritesStillHasOneWinnerInTurn() throws Exception {
        String dest = server.dest("spillway-test", "fallback-" + UUID.randomUUID()) + "&conditional-writes=false";
        try (Store s = Stores.open(dest, server.env())) {
            assertThat(s.createIfAbsent("plan.json", "a".getBytes(UTF_8))).isTrue();
            assertThat(s.createIfAbsent("plan.json", "b".getBytes(UTF_8))).isFalse();
            assertThat(s.createIfAbsent("plan.json", "a".getBytes(UTF_8))).isTrue();
        }
    }

    @Test
    void refusesUnknownOptionsAndBadPartSizes() {
        assertThatThrownBy(() -> Stores.open("s3://bucket/x?colour=red", server.env()))
                .isInstanceOf(JobException.class).hasMessageContaining("colour").hasMessageContaining("endpoint");
        assertThatThrownBy(() -> Stores.open("s3://bucket/x?part-size=1MiB", server.env()))
                .isInstanceOf(JobException.class).hasMessageContaining("5MiB");
        assertThatThrownBy(() -> Stores.open("s3://Bad_Bucket/x", server.env()))
                .isInstanceOf(JobException.class).hasMessageContaining("Bad_Bucket");
    }

    private ListMultipartUploadsResponse uploads(String prefix) {
        String key = store.settings().uri().keyPrefix(prefix);
        return store.client().listMultipartUploads(r -> r.bucket("spillway-test").prefix(key));
    }
}
