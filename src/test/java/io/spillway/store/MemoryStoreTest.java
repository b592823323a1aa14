package io.spillway.store;

import io.spillway.spi.Store;

class MemoryStoreTest extends StoreContract {
    @Override
    protected Store store() {
        return new MemoryStore("mem://contract");
    }
}
