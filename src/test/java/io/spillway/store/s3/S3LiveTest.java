package io.spillway.store.s3;

import io.spillway.spi.Store;
import io.spillway.store.StoreContract;
import io.spillway.store.Stores;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The store contract against a real bucket: runs only when SPILLWAY_IT_S3_BUCKET names one (with
 * credentials, region and, for S3-compatible servers, AWS_ENDPOINT_URL in the usual variables).
 * Everything is written under a fresh {@code spillway-it/<uuid>/} prefix and deleted afterwards.
 */
@EnabledIfEnvironmentVariable(named = "SPILLWAY_IT_S3_BUCKET", matches = ".+")
class S3LiveTest extends StoreContract {
    private Store store;

    @BeforeEach
    void open() throws Exception {
        store = Stores.open("s3://" + System.getenv("SPILLWAY_IT_S3_BUCKET") + "/spillway-it/" + UUID.randomUUID());
        store.checkWritable();
    }

    @AfterEach
    void clean() throws Exception {
        store.deleteAll("");
        store.close();
    }

    @Override
    protected Store store() {
        return store;
    }

    @Override
    protected int bigObjectSize() {
        return (16 << 20) * 2 + 1; // three parts at the default part size
    }
}
