package io.spillway.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.spillway.retry.Retry;
import io.spillway.spi.ExportException;
import io.spillway.spi.JobException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Which S3 errors are retried, and what the others tell the user. */
class S3ErrorsTest {
    private static final Retry QUICK = new Retry(4, Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofSeconds(10));

    private static S3Exception error(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    @Test
    void throttlingServerErrorsResetsAndTimeoutsAreTransient() {
        assertThat(S3Errors.isTransient(error(503, "SlowDown"))).isTrue();
        assertThat(S3Errors.isTransient(error(500, "InternalError"))).isTrue();
        assertThat(S3Errors.isTransient(error(429, "TooManyRequests"))).isTrue();
        assertThat(S3Errors.isTransient(error(400, "RequestTimeout"))).isTrue();
        assertThat(S3Errors.isTransient(error(409, "ConditionalRequestConflict"))).isTrue();
        assertThat(S3Errors.isTransient(SdkClientException.create("reset", new java.net.SocketException("Connection reset"))))
                .isTrue();
        assertThat(S3Errors.isTransient(SdkClientException.create("slow", new SocketTimeoutException("Read timed out"))))
                .isTrue();
        assertThat(S3Errors.isTransient(error(403, "AccessDenied"))).isFalse();
        SdkClientException noCredentials = SdkClientException.create("Unable to load credentials from any of the"
                + " providers in the chain", new java.net.ConnectException("metadata endpoint unreachable"));
        assertThat(S3Errors.isTransient(noCredentials)).isFalse();
        assertThat(S3Errors.map(noCredentials, "b1", "list", "s3:ListBucket")).isInstanceOf(JobException.class)
                .hasMessageContaining("AWS_ACCESS_KEY_ID");
        assertThat(S3Errors.isTransient(error(404, "NoSuchBucket"))).isFalse();
        assertThat(S3Errors.isTransient(error(412, "PreconditionFailed"))).isFalse();
    }

    @Test
    void permanentErrorsNameTheBucketAndWhatToFix() {
        assertThat(S3Errors.map(error(403, "AccessDenied"), "b1", "write", "s3:PutObject"))
                .isInstanceOf(JobException.class).hasMessageContaining("b1").hasMessageContaining("s3:PutObject");
        assertThat(S3Errors.map(error(404, "NoSuchBucket"), "b1", "list", "s3:ListBucket"))
                .isInstanceOf(JobException.class).hasMessageContaining("bucket b1 does not exist");
        assertThat(S3Errors.map(error(301, "PermanentRedirect"), "b1", "list", "s3:ListBucket"))
                .isInstanceOf(JobException.class).hasMessageContaining("region");
        // a bad request gets the same answer every time: exit 2 at once, not minutes of retried tasks
        assertThat(S3Errors.map(error(400, "InvalidArgument"), "b1", "write", "s3:PutObject"))
                .isInstanceOf(JobException.class).hasMessageContaining("b1").hasMessageContaining("InvalidArgument")
                .hasMessageContaining("check the options of --dest");
        assertThat(S3Errors.map(error(501, "NotImplemented"), "b1", "list uploads", "s3:ListBucketMultipartUploads"))
                .isInstanceOf(JobException.class).hasMessageContaining("does not implement what it takes to list uploads");
        assertThat(S3Errors.isTransient(error(400, "BadDigest"))).isTrue();
        assertThat(S3Errors.isTransient(error(501, "NotImplemented"))).isFalse();
    }

    @Test
    void retriesTransientErrorsWithBackoffThenSucceeds() throws IOException {
        AtomicInteger calls = new AtomicInteger();
        String result = QUICK.run("write s3://b/k", S3Errors::isTransient, () -> {
            if (calls.incrementAndGet() < 3) {
                throw error(503, "SlowDown");
            }
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(calls).hasValue(3);
    }

    @Test
    void permanentErrorsAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> QUICK.run("write s3://b/k", S3Errors::isTransient, () -> {
            calls.incrementAndGet();
            throw error(403, "AccessDenied");
        })).isInstanceOf(S3Exception.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void aServerThatNeverAnswersFailsAfterTheBoundedTries() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: connections are refused
        }
        S3Settings settings = S3Settings.from("s3://bucket/x?endpoint=http://127.0.0.1:" + port, Map.of())
                .withRetry(QUICK);
        long start = System.nanoTime();
        try (S3Store store = new S3Store(settings, software.amazon.awssdk.auth.credentials.StaticCredentialsProvider
                .create(software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("k", "s")))) {
            assertThatThrownBy(() -> store.read("a")).isInstanceOf(ExportException.class)
                    .hasMessageContaining("failed 4 times").hasMessageContaining("s3://bucket/x/a");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    /** A server that answers every request with {@code status} and an S3 error {@code code}, counting them. */
    private static HttpServer answering(int status, String code, AtomicInteger requests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>"
                    + code + " here</Message></Error>").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(status, exchange.getRequestMethod().equals("HEAD") ? -1 : body.length);
            if (!exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return server;
    }

    private static S3Store store(HttpServer server) {
        S3Settings settings = S3Settings.from("s3://bucket/x?endpoint=http://127.0.0.1:" + server.getAddress().getPort(),
                Map.of()).withRetry(Retry.DEFAULT);
        return new S3Store(settings, software.amazon.awssdk.auth.credentials.StaticCredentialsProvider
                .create(software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("k", "s")));
    }

    @Test
    void aServerWithoutTheListingOfUploadsHasNoneToAbortAndOther501sFailAtOnce() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = answering(501, "NotImplemented", requests);
        long start = System.nanoTime();
        try (S3Store store = store(server)) {
            assertThat(store.abortUploads("_spillway/staging/e1/")).isZero();
            assertThat(requests).hasValue(1);
            assertThatThrownBy(() -> store.read("a")).isInstanceOf(JobException.class)
                    .hasMessageContaining("does not implement").hasMessageContaining("NotImplemented");
            assertThat(requests).hasValue(2);
        } finally {
            server.stop(0);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anInvalidArgumentFailsAtOnceWithExitTwo() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = answering(400, "InvalidArgument", requests);
        try (S3Store store = store(server)) {
            assertThatThrownBy(() -> store.write("a", new byte[] {1})).isInstanceOf(JobException.class)
                    .hasMessageContaining("bad request (InvalidArgument: InvalidArgument here)");
            assertThat(requests).hasValue(1);
        } finally {
            server.stop(0);
        }
    }
}
