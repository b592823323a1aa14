package io.spillway.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Cloud Run job YAML as {@code gcloud run jobs replace} reads it. Without credentials gcloud
 * parses the file into the Cloud Run API's messages before anything else, so a field the API does
 * not have fails with "Failed to parse value(s) in protobuf", and a valid file fails only at
 * authentication. gcloud runs with an empty configuration directory, no metadata-server probe and a
 * dead proxy: nothing leaves the machine.
 */
class CloudRunGcloudTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String NO_ACCOUNT = "You do not currently have an active account";
    private static final String PARSE_FAILED = "Failed to parse value(s) in protobuf";

    @TempDir
    static Path dir;

    @BeforeAll
    static void needsGcloud() {
        assumeTrue(EngineTool.onPath("gcloud").isPresent(),
                "gcloud is not on PATH: the Cloud Run YAML cannot be checked by Google's own parser here");
    }

    private static List<EngineTool.Outcome> replace(List<Path> files) throws Exception {
        Path config = Files.createDirectories(dir.resolve("gcloud-config"));
        Map<String, String> env = EngineTool.cleanEnvironment(dir);
        env.put("CLOUDSDK_CONFIG", config.toString());
        env.put("CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
        env.put("CLOUDSDK_CORE_CHECK_GCE_METADATA", "false");
        env.put("CLOUDSDK_CORE_DISABLE_USAGE_REPORTING", "true");
        env.put("CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK", "true");
        env.put("CLOUDSDK_API_ENDPOINT_OVERRIDES_RUN", EngineTool.NOWHERE + "/");
        List<List<String>> commands = new ArrayList<>();
        for (Path f : files) {
            commands.add(List.of("gcloud", "run", "jobs", "replace", f.toString(), "--region", "europe-west1",
                    "--project", "spillway-test"));
        }
        return EngineTool.runAll(dir, env, TIMEOUT, commands);
    }

    @Test
    void gcloudParsesTheJobOfEverySourceAndMisspeltFieldsFail() throws Exception {
        List<Path> files = new ArrayList<>();
        for (var source : EngineTool.SOURCES.entrySet()) {
            List<String> args = new ArrayList<>(source.getValue());
            args.addAll(List.of("--tasks", "30", "--parallelism", "10", "--max-retries", "5", "--task-timeout", "2h",
                    "--memory", "4Gi", "--cpu", "2", "--service-account", "spillway@proj.iam.gserviceaccount.com",
                    "--region", "europe-west1"));
            files.add(EngineTool.render(dir.resolve(source.getKey()), "cloud-run", args).resolve("cloud-run-job.yaml"));
        }
        Path bigquery = files.get(List.copyOf(EngineTool.SOURCES.keySet()).indexOf("bigquery"));
        files.add(EngineTool.misspell(bigquery, "taskCount:", "taskCont:"));
        files.add(EngineTool.misspell(bigquery, "timeoutSeconds:", "timeoutSecs:"));

        List<EngineTool.Outcome> outcomes = replace(files);
        for (int i = 0; i < EngineTool.SOURCES.size(); i++) {
            EngineTool.Outcome o = outcomes.get(i);
            assertThat(o.output()).as(o.toString()).doesNotContain(PARSE_FAILED).contains(NO_ACCOUNT);
            assertThat(o.code()).as(o.toString()).isNotZero();
        }
        EngineTool.Outcome taskCount = outcomes.get(EngineTool.SOURCES.size());
        assertThat(taskCount.output()).as(taskCount.toString()).contains(PARSE_FAILED).contains("spec.template.spec.taskCont");
        EngineTool.Outcome timeout = outcomes.get(EngineTool.SOURCES.size() + 1);
        assertThat(timeout.output()).as(timeout.toString()).contains(PARSE_FAILED).contains("timeoutSecs");
    }
}
