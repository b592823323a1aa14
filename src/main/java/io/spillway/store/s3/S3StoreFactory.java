package io.spillway.store.s3;

import io.spillway.spi.Store;
import io.spillway.spi.StoreFactory;
import java.util.Map;
import java.util.Set;

/** {@code s3://BUCKET/PREFIX}: see {@link S3Store}. */
public final class S3StoreFactory implements StoreFactory {
    @Override
    public Set<String> schemes() {
        return Set.of("s3");
    }

    @Override
    public String usage() {
        return "s3://BUCKET/PREFIX";
    }

    @Override
    public Store open(String dest, Map<String, String> env) {
        return S3Store.open(dest, env);
    }
}
