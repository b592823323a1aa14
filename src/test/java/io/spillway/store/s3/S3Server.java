package io.spillway.store.s3;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * A real S3-compatible server for tests: S3Proxy in this JVM on 127.0.0.1 and a free port, with
 * signature v4 and a key pair, over memory or a folder.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "spillway-test-key";
    public static final String SECRET_KEY = "spillway-test-secret-123";

    private final S3Proxy proxy;
    private final BlobStore blobs;

    private S3Server(BlobStore blobs) throws Exception {
        this.blobs = blobs;
        this.proxy = S3Proxy.builder()
                .blobStore(blobs)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        for (int i = 0; i < 100 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(20);
        }
    }

    /** A server keeping objects in memory. */
    public static S3Server inMemory() throws Exception {
        return new S3Server(BlobStores.create("transient", new Properties()));
    }

    /** A server keeping objects as files under {@code dir}: for large objects. */
    public static S3Server onDisk(Path dir) throws Exception {
        Properties p = new Properties();
        p.setProperty("jclouds.filesystem.basedir", dir.toString());
        return new S3Server(BlobStores.create("filesystem", p));
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public void createBucket(String bucket) {
        blobs.createContainer(bucket);
    }

    /** {@code s3://BUCKET/PREFIX} with this server as its endpoint. */
    public String dest(String bucket, String prefix) {
        return "s3://" + bucket + "/" + prefix + "?endpoint=" + endpoint() + "&region=us-east-1";
    }

    /** The environment a task process needs to reach this server. */
    public Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_REGION", "us-east-1");
        return env;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
