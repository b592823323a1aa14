package io.spillway.store.s3;

import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the SDK client of an {@link S3Store}: credentials from the environment or the SDK's chain,
 * the SDK's own retries off (the store retries within its bounds), endpoint, region and path style.
 */
final class S3Clients {
    private S3Clients() {}

    static AwsCredentialsProvider credentials(Map<String, String> env) {
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id == null || secret == null || id.isBlank()) {
            return DefaultCredentialsProvider.builder().build();
        }
        String token = env.get("AWS_SESSION_TOKEN");
        return StaticCredentialsProvider.create(token == null || token.isBlank()
                ? AwsBasicCredentials.create(id, secret) : AwsSessionCredentials.create(id, secret, token));
    }

    static S3Client client(S3Settings settings, AwsCredentialsProvider credentials) {
        S3ClientBuilder b = S3Client.builder()
                .credentialsProvider(credentials)
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(16)
                        .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofMinutes(5)))
                .forcePathStyle(settings.pathStyle())
                .region(Region.of(settings.region().orElse("us-east-1")));
        if (settings.region().isEmpty() && settings.endpoint().isEmpty()) {
            b.crossRegionAccessEnabled(true);
        }
        settings.endpoint().ifPresent(e -> b.endpointOverride(e)
                // S3-compatible servers often reject the newer flexible checksums; send them only when required
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
        return b.build();
    }
}
