package io.spillway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.spi.JobException;
import io.spillway.spi.Store;
import io.spillway.store.local.LocalStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stores are found by scheme through their factories. */
class StoresTest {
    @TempDir
    Path dir;

    @Test
    void foldersAndFileUrisAreLocalStores() throws Exception {
        try (Store plain = Stores.open(dir.toString()); Store file = Stores.open(dir.toUri().toString())) {
            assertThat(plain).isInstanceOf(LocalStore.class);
            assertThat(file).isInstanceOf(LocalStore.class);
            plain.write("a/b.txt", new byte[3]);
            assertThat(file.list("a/")).extracting(Store.StoredObject::path).containsExactly("a/b.txt");
        }
    }

    @Test
    void aFactoryOnTheClassPathIsAStore() throws Exception {
        try (Store s = Stores.open("mem://stores-test", Map.of())) {
            assertThat(s).isSameAs(MemoryStore.named("stores-test"));
        }
    }

    @Test
    void anUnknownSchemeNamesEveryKindAndHidesThePassword() {
        assertThatThrownBy(() -> Stores.open("ftp://u:secret@host/x", Map.of())).isInstanceOf(JobException.class)
                .hasMessageStartingWith("unknown destination 'ftp://u:***@host/x': use ")
                .hasMessageContaining("a folder, file:///ABS/PATH")
                .hasMessageContaining("gs://BUCKET/PREFIX").hasMessageContaining("s3://BUCKET/PREFIX")
                .hasMessageNotContaining("secret");
    }
}
