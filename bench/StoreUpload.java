import io.spillway.spi.Store;
import io.spillway.store.Stores;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Random;

/** Streams SIZE MiB of bytes into one object of a store, as a shard writer does, and prints the JVM's peak heap. */
public class StoreUpload {
    public static void main(String[] args) throws Exception {
        String dest = args[0];
        long mib = Long.parseLong(args[1]);
        byte[] block = new byte[1 << 20];
        new Random(1).nextBytes(block);
        long start = System.nanoTime();
        try (Store store = Stores.open(dest); Store.StoreOutput out = store.create("upload/object.bin")) {
            for (long i = 0; i < mib; i++) {
                block[0] = (byte) i;
                out.stream().write(block, 0, 64 << 10);
                out.stream().write(block, 64 << 10, block.length - (64 << 10));
            }
            out.commit();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf("uploaded %d MiB in %.1f s (%.0f MiB/s); JVM heap peak %d MiB%n", mib, seconds, mib / seconds,
                peak >> 20);
    }
}
