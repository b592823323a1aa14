package io.spillway.store.gcs;

import io.spillway.spi.Store;
import io.spillway.store.StoreContract;
import io.spillway.store.Stores;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The store contract against a real GCS bucket: runs only when SPILLWAY_IT_GCS_BUCKET names one,
 * with Application Default Credentials. Everything is written under a fresh
 * {@code spillway-it/<uuid>/} prefix and deleted afterwards.
 */
@EnabledIfEnvironmentVariable(named = "SPILLWAY_IT_GCS_BUCKET", matches = ".+")
class GcsLiveTest extends StoreContract {
    private Store store;

    @BeforeEach
    void open() throws Exception {
        store = Stores.open("gs://" + System.getenv("SPILLWAY_IT_GCS_BUCKET") + "/spillway-it/" + UUID.randomUUID());
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
        return (16 << 20) + (1 << 20); // past one resumable chunk at the default chunk size
    }
}
