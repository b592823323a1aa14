package io.spillway.store.gcs;

import io.spillway.spi.Store;
import io.spillway.spi.StoreFactory;
import java.util.Map;
import java.util.Set;

/** {@code gs://BUCKET/PREFIX}: see {@link GcsStore}. */
public final class GcsStoreFactory implements StoreFactory {
    @Override
    public Set<String> schemes() {
        return Set.of("gs");
    }

    @Override
    public String usage() {
        return "gs://BUCKET/PREFIX";
    }

    @Override
    public Store open(String dest, Map<String, String> env) {
        return GcsStore.open(dest, env);
    }
}
