package io.spillway.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS Batch job definition and submission as the {@code aws} CLI reads them: it validates
 * {@code --cli-input-json} against the Batch API's model before sending, so a wrong member or type
 * fails with "Parameter validation failed", and a valid file fails only at the connection to the
 * endpoint, here a closed loopback port. Dummy keys, no configuration files, no instance metadata.
 */
class AwsBatchCliTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String INVALID = "Parameter validation failed";
    private static final String NOT_CONNECTED = "Could not connect to the endpoint URL";

    @TempDir
    static Path dir;

    @BeforeAll
    static void needsAws() {
        assumeTrue(EngineTool.onPath("aws").isPresent(),
                "the aws CLI is not on PATH: the AWS Batch JSON cannot be checked by AWS's own model here");
    }

    private static List<EngineTool.Outcome> aws(List<List<String>> calls) throws Exception {
        Map<String, String> env = EngineTool.cleanEnvironment(dir);
        env.put("AWS_ACCESS_KEY_ID", "AKIDSPILLWAYTEST");
        env.put("AWS_SECRET_ACCESS_KEY", "not-a-secret");
        env.put("AWS_DEFAULT_REGION", "eu-west-1");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.put("AWS_PAGER", "");
        List<List<String>> commands = new ArrayList<>();
        for (List<String> call : calls) {
            List<String> c = new ArrayList<>(List.of("aws", "batch"));
            c.addAll(call);
            c.addAll(List.of("--endpoint-url", EngineTool.NOWHERE, "--cli-connect-timeout", "2", "--cli-read-timeout",
                    "2"));
            commands.add(c);
        }
        return EngineTool.runAll(dir, env, TIMEOUT, commands);
    }

    private static List<String> call(String operation, Path file) {
        return List.of(operation, "--cli-input-json", "file://" + file);
    }

    @Test
    void awsAcceptsTheDefinitionAndSubmissionOfEverySourceAndMisspeltMembersFail() throws Exception {
        List<List<String>> calls = new ArrayList<>();
        Path bigquery = null;
        for (var source : EngineTool.SOURCES.entrySet()) {
            List<String> args = new ArrayList<>(source.getValue());
            args.addAll(List.of("--tasks", "50", "--max-retries", "3", "--task-timeout", "1h", "--cpu", "2",
                    "--memory", "4Gi", "--service-account", "arn:aws:iam::123456789012:role/spillway-job",
                    "--execution-role", "arn:aws:iam::123456789012:role/spillway-exec", "--job-queue", "exports"));
            Path out = EngineTool.render(dir.resolve(source.getKey()), "aws-batch", args);
            calls.add(call("register-job-definition", out.resolve("aws-batch-job-definition.json")));
            calls.add(call("submit-job", out.resolve("aws-batch-submit-job.json")));
            if (source.getKey().equals("bigquery")) {
                bigquery = out;
            }
        }
        int valid = calls.size();
        calls.add(call("register-job-definition",
                EngineTool.misspell(bigquery.resolve("aws-batch-job-definition.json"), "\"image\"", "\"imageUri\"")));
        calls.add(call("submit-job",
                EngineTool.misspell(bigquery.resolve("aws-batch-submit-job.json"), "\"arrayProperties\"", "\"arrayProps\"")));

        List<EngineTool.Outcome> outcomes = aws(calls);
        for (EngineTool.Outcome o : outcomes.subList(0, valid)) {
            assertThat(o.output()).as(o.toString()).doesNotContain(INVALID).contains(NOT_CONNECTED);
        }
        for (EngineTool.Outcome o : outcomes.subList(valid, outcomes.size())) {
            assertThat(o.output()).as(o.toString()).contains(INVALID).contains("Unknown parameter");
            assertThat(o.code()).as(o.toString()).isNotZero();
        }
        assertThat(outcomes.get(valid).output()).contains("imageUri");
        assertThat(outcomes.get(valid + 1).output()).contains("arrayProps");
    }
}
