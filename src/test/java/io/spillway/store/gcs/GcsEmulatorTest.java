package io.spillway.store.gcs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.spi.JobException;
import io.spillway.store.Stores;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What users of a GCS emulator rely on: {@code STORAGE_EMULATOR_HOST} read as Google's client
 * libraries read it, and a fake that holds Spillway to the real service's rules where Spillway
 * depends on them (preconditions answer 412, gzip-encoded uploads, rewrites of large objects over
 * several calls with tokens), so that passing here does not rest on a lenient stand-in.
 */
class GcsEmulatorTest {
    private static FakeGcsServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = FakeGcsServer.start();
        server.createBucket("emulated");
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static String hostPort() {
        return server.endpoint().getHost() + ":" + server.endpoint().getPort();
    }

    @Test
    void storageEmulatorHostIsTheEndpointWithOrWithoutAScheme() throws Exception {
        for (String value : new String[] {hostPort(), "http://" + hostPort()}) {
            Map<String, String> env = Map.of("STORAGE_EMULATOR_HOST", value);
            assertThat(GcsSettings.from("gs://emulated/x", env).endpoint()).contains(server.endpoint());
            try (var store = Stores.open("gs://emulated/emulator-host", env)) {
                store.write("hello.txt", "hi".getBytes(UTF_8));
                assertThat(store.read("hello.txt")).hasValueSatisfying(b -> assertThat(new String(b, UTF_8)).isEqualTo("hi"));
            }
        }
        assertThat(server.get("emulated", "emulator-host/hello.txt")).isPresent();
    }

    @Test
    void spillwaysOwnEndpointAndTheUriOptionWinOverTheEmulatorHost() {
        Map<String, String> env = Map.of("STORAGE_EMULATOR_HOST", "127.0.0.1:1", "SPILLWAY_GCS_ENDPOINT",
                "http://127.0.0.1:2");
        assertThat(GcsSettings.from("gs://bkt/p", env).endpoint().orElseThrow().getPort()).isEqualTo(2);
        assertThat(GcsSettings.from("gs://bkt/p?endpoint=http://127.0.0.1:3", env).endpoint().orElseThrow().getPort())
                .isEqualTo(3);
        assertThatThrownBy(() -> GcsSettings.from("gs://bkt/p", Map.of("STORAGE_EMULATOR_HOST", "http:///x")))
                .isInstanceOf(JobException.class).hasMessageContaining("not a URL like http://HOST:PORT");
    }

    @Test
    void aFailedPreconditionIs412AndCreateIfAbsentKeepsTheFirstObject() throws Exception {
        try (var store = Stores.open(server.dest("emulated", "preconditions"), Map.of())) {
            assertThat(store.createIfAbsent("state/plan.json", "first".getBytes(UTF_8))).isTrue();
            assertThat(store.createIfAbsent("state/plan.json", "second".getBytes(UTF_8))).isFalse();
            assertThat(store.read("state/plan.json")).hasValueSatisfying(b -> assertThat(b).isEqualTo("first".getBytes(UTF_8)));
        }
        assertThat(server.requests()).filteredOn(r -> r.startsWith("POST /upload/") && r.contains("ifGenerationMatch=0"))
                .hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void gzipEncodedMultipartUploadsAreDecoded() throws Exception {
        var client = ((GcsStore) Stores.open(server.dest("emulated", "gzip"), Map.of())).storage();
        byte[] content = "a manifest, gzip-encoded on the wire".getBytes(UTF_8);
        // the client's default for a one-request upload is a gzip-encoded multipart body
        client.create(com.google.cloud.storage.BlobInfo.newBuilder("emulated", "gzip/default.json").build(), content);
        assertThat(server.get("emulated", "gzip/default.json")).hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(zipped)) {
            gz.write(content);
        }
        assertThat(zipped.toByteArray()).isNotEqualTo(content);
    }

    @Test
    void aLargeObjectMovesOverSeveralRewriteCallsAndAppearsWhole() throws Exception {
        server.rewriteStep(256 << 10);
        try (var store = Stores.open(server.dest("emulated", "rewrite"), Map.of())) {
            byte[] content = new byte[(1 << 20) + 12345];
            new Random(17).nextBytes(content);
            server.put("emulated", "rewrite/staging/part-0.csv", content);
            store.move("staging/part-0.csv", "final/part-0.csv");
            assertThat(server.get("emulated", "rewrite/final/part-0.csv")).hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
            assertThat(server.get("emulated", "rewrite/staging/part-0.csv")).isEmpty();
            assertThat(server.requests()).filteredOn(r -> r.contains("/rewriteTo/") && r.contains("rewrite%2Ffinal"))
                    .hasSize(5).filteredOn(r -> r.contains("rewriteToken=")).hasSize(4);
        } finally {
            server.rewriteStep(1 << 20);
        }
    }
}
