package io.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.spillway.engine.ExitCode;
import io.spillway.layout.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spillway render}: each definition parsed back as YAML or JSON and checked field by field. */
class RenderCommandTest {
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final String PASSWORD = "s3cr3t-pw";

    private record Result(int code, String out, String err) {}

    private static Result render(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cmd = Main.commandLine(Map.of());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("render"));
        all.addAll(List.of(args));
        int code = cmd.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    private static Map<String, JsonNode> env(JsonNode list) {
        Map<String, JsonNode> env = new HashMap<>();
        list.forEach(v -> env.put(v.get("name").asText(), v));
        return env;
    }

    @Test
    void cloudRunJobCarriesTheOptions() throws Exception {
        Result r = render("cloud-run", "--source", "bigquery://proj/sales?location=EU", "--dest", "gs://exports/sales",
                "--format", "parquet", "--include", "orders_*,customers", "--max-file-size", "256MiB",
                "--image", "europe-docker.pkg.dev/proj/repo/spillway:0.1.0", "--tasks", "30", "--parallelism", "10",
                "--max-retries", "5", "--task-timeout", "2h", "--memory", "4Gi", "--cpu", "2",
                "--service-account", "spillway@proj.iam.gserviceaccount.com", "--job-name", "sales-export",
                "--region", "europe-west1");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode job = YAML.readTree(r.out());
        assertThat(job.get("apiVersion").asText()).isEqualTo("run.googleapis.com/v1");
        assertThat(job.get("kind").asText()).isEqualTo("Job");
        assertThat(job.at("/metadata/name").asText()).isEqualTo("sales-export");
        assertThat(job.at("/metadata/labels/cloud.googleapis.com~1location").asText()).isEqualTo("europe-west1");
        JsonNode execution = job.at("/spec/template/spec");
        assertThat(execution.get("taskCount").asInt()).isEqualTo(30);
        assertThat(execution.get("parallelism").asInt()).isEqualTo(10);
        JsonNode task = execution.at("/template/spec");
        assertThat(task.get("maxRetries").asInt()).isEqualTo(5);
        assertThat(task.get("timeoutSeconds").asText()).isEqualTo("7200");
        assertThat(task.get("serviceAccountName").asText()).isEqualTo("spillway@proj.iam.gserviceaccount.com");
        JsonNode container = task.at("/containers/0");
        assertThat(container.get("image").asText()).isEqualTo("europe-docker.pkg.dev/proj/repo/spillway:0.1.0");
        assertThat(container.at("/args/0").asText()).isEqualTo("task");
        assertThat(container.at("/resources/limits/cpu").asText()).isEqualTo("2");
        assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("4Gi");
        Map<String, JsonNode> env = env(container.get("env"));
        assertThat(env.get("SPILLWAY_SOURCE").get("value").asText()).isEqualTo("bigquery://proj/sales?location=EU");
        assertThat(env.get("SPILLWAY_DEST").get("value").asText()).isEqualTo("gs://exports/sales");
        assertThat(env.get("SPILLWAY_FORMAT").get("value").asText()).isEqualTo("parquet");
        assertThat(env.get("SPILLWAY_INCLUDE").get("value").asText()).isEqualTo("orders_*,customers");
        assertThat(env.get("SPILLWAY_MAX_FILE_SIZE").get("value").asText()).isEqualTo(Long.toString(256L << 20));
        assertThat(env.get("SPILLWAY_MAX_FILE_SIZE").get("value").isTextual()).as("env values stay strings").isTrue();
        assertThat(env).as("Cloud Run tells tasks their index, count, attempt and execution")
                .doesNotContainKeys("SPILLWAY_TASKS", "SPILLWAY_EXECUTION", "SPILLWAY_SPLIT_SIZE");
        assertThat(env).as("tables are read as of the plan's time unless --no-snapshot").doesNotContainKey(
                "SPILLWAY_NO_SNAPSHOT");
        assertThat(r.err()).contains("gcloud run jobs replace cloud-run-job.yaml --region europe-west1");
    }

    @Test
    void noSnapshotIsCarriedToTheTasks() throws Exception {
        Result r = render("cloud-run", "--source", "bigquery://proj/sales", "--dest", "gs://exports/sales",
                "--no-snapshot", "--image", "europe-docker.pkg.dev/proj/repo/spillway:0.1.0", "--tasks", "3",
                "--region", "europe-west1");
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, JsonNode> env = env(YAML.readTree(r.out()).at("/spec/template/spec/template/spec/containers/0/env"));
        assertThat(env.get("SPILLWAY_NO_SNAPSHOT").get("value").asText()).isEqualTo("true");
    }

    @Test
    void partitionRulesAreCarriedToTheTasks() throws Exception {
        Result r = render("cloud-run", "--source", "postgresql://exporter@db.internal/sales", "--dest", "gs://exports/wh",
                "--partition-by", "orders=region", "--partition-by", "ev*=at:month", "--image",
                "europe-docker.pkg.dev/proj/repo/spillway:0.1.0", "--tasks", "3", "--region", "europe-west1");
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, JsonNode> env = env(YAML.readTree(r.out()).at("/spec/template/spec/template/spec/containers/0/env"));
        assertThat(env.get("SPILLWAY_PARTITION_BY").get("value").asText()).isEqualTo("orders=region,ev*=at:month");
    }

    @Test
    void consistentIsCarriedToTheTasksWithANoteOnTheTimeout() throws Exception {
        Result r = render("kubernetes", "--source", "postgresql://exporter@db.internal/sales", "--dest", "s3://exports/wh",
                "--consistent", "--image", "registry.example.com/spillway:0.1.0", "--tasks", "4");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("SPILLWAY_CONSISTENT");
        assertThat(r.err()).contains("--task-timeout must cover the whole execution");
        Result oneAtATime = render("kubernetes", "--source", "postgresql://exporter@db.internal/sales", "--dest",
                "s3://exports/wh", "--consistent", "--image", "registry.example.com/spillway:0.1.0", "--tasks", "4",
                "--parallelism", "1");
        assertThat(oneAtATime.code()).isEqualTo(2);
        assertThat(oneAtATime.err()).contains("--consistent needs --parallelism 2 or more");
    }

    @Test
    void kubernetesIndexedJobWiresTheTaskIdentity() throws Exception {
        Result r = render("kubernetes", "--source", "duckdb:/data/warehouse.duckdb", "--dest", "s3://exports/wh",
                "--image", "registry.example.com/spillway:0.1.0", "--tasks", "12", "--parallelism", "4",
                "--max-retries", "2", "--task-timeout", "45m", "--memory", "1536Mi", "--cpu", "500m",
                "--service-account", "spillway-exporter");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode job = YAML.readTree(r.out());
        assertThat(job.get("apiVersion").asText()).isEqualTo("batch/v1");
        assertThat(job.at("/metadata/generateName").asText()).as("a new Job, hence a new uid, per create")
                .isEqualTo("spillway-");
        JsonNode spec = job.get("spec");
        assertThat(spec.get("completionMode").asText()).isEqualTo("Indexed");
        assertThat(spec.get("completions").asInt()).isEqualTo(12);
        assertThat(spec.get("parallelism").asInt()).isEqualTo(4);
        assertThat(spec.get("backoffLimitPerIndex").asInt()).isEqualTo(2);
        assertThat(spec.get("podReplacementPolicy").asText()).isEqualTo("Failed");
        JsonNode failIndex = spec.at("/podFailurePolicy/rules/0");
        assertThat(failIndex.get("action").asText()).isEqualTo("FailIndex");
        assertThat(failIndex.at("/onExitCodes/operator").asText()).isEqualTo("In");
        assertThat(failIndex.at("/onExitCodes/values/0").asInt()).isEqualTo(ExitCode.BAD_JOB.code);
        assertThat(failIndex.at("/onExitCodes/containerName").asText()).isEqualTo("spillway");
        assertThat(spec.at("/podFailurePolicy/rules/1/action").asText()).isEqualTo("Ignore");
        JsonNode pod = spec.at("/template/spec");
        assertThat(pod.get("restartPolicy").asText()).isEqualTo("Never");
        assertThat(pod.get("activeDeadlineSeconds").asLong()).as("the task timeout, per pod").isEqualTo(2700);
        assertThat(pod.get("serviceAccountName").asText()).isEqualTo("spillway-exporter");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        JsonNode container = pod.at("/containers/0");
        assertThat(container.get("name").asText()).isEqualTo("spillway");
        assertThat(container.get("image").asText()).isEqualTo("registry.example.com/spillway:0.1.0");
        assertThat(container.at("/resources/requests/cpu").asText()).isEqualTo("500m");
        assertThat(container.at("/resources/requests/memory").asText()).isEqualTo("1536Mi");
        assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("1536Mi");
        Map<String, JsonNode> env = env(container.get("env"));
        assertThat(env.get("SPILLWAY_TASKS").get("value").asText()).isEqualTo("12");
        assertThat(env.get("SPILLWAY_TASKS").get("value").isTextual()).isTrue();
        assertThat(env.get("SPILLWAY_EXECUTION").at("/valueFrom/fieldRef/fieldPath").asText())
                .isEqualTo("metadata.labels['batch.kubernetes.io/controller-uid']");
        assertThat(env.get("SPILLWAY_ATTEMPT").at("/valueFrom/fieldRef/fieldPath").asText())
                .isEqualTo("metadata.annotations['batch.kubernetes.io/job-index-failure-count']");
        assertThat(env.get("SPILLWAY_SOURCE").get("value").asText()).isEqualTo("duckdb:/data/warehouse.duckdb");
        assertThat(env.get("SPILLWAY_DEST").get("value").asText()).isEqualTo("s3://exports/wh");
        JsonNode mount = container.at("/volumeMounts/0");
        assertThat(mount.get("mountPath").asText()).isEqualTo("/tmp");
        assertThat(pod.at("/volumes/0/name").asText()).isEqualTo(mount.get("name").asText());
    }

    @Test
    void awsBatchDefinitionAndArraySubmission() throws Exception {
        Result r = render("aws-batch", "--source", "duckdb:/data/wh.duckdb", "--dest", "s3://exports/wh",
                "--compression", "gzip", "--image", "123456789012.dkr.ecr.us-east-1.amazonaws.com/spillway:0.1.0",
                "--tasks", "50", "--parallelism", "10", "--max-retries", "4", "--task-timeout", "90m",
                "--memory", "3Gi", "--cpu", "2", "--service-account", "arn:aws:iam::123456789012:role/spillway-job",
                "--job-queue", "exports");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode both = Json.MAPPER.readTree(r.out());
        JsonNode def = both.get("jobDefinition");
        assertThat(def.get("jobDefinitionName").asText()).isEqualTo("spillway");
        assertThat(def.get("type").asText()).isEqualTo("container");
        JsonNode container = def.get("containerProperties");
        assertThat(container.get("image").asText()).isEqualTo("123456789012.dkr.ecr.us-east-1.amazonaws.com/spillway:0.1.0");
        assertThat(container.at("/command/0").asText()).isEqualTo("task");
        assertThat(container.get("jobRoleArn").asText()).isEqualTo("arn:aws:iam::123456789012:role/spillway-job");
        Map<String, String> resources = new HashMap<>();
        container.get("resourceRequirements").forEach(x -> resources.put(x.get("type").asText(), x.get("value").asText()));
        assertThat(resources).containsEntry("VCPU", "2").containsEntry("MEMORY", "3072");
        Map<String, JsonNode> env = env(container.get("environment"));
        assertThat(env.get("SPILLWAY_SOURCE").get("value").asText()).isEqualTo("duckdb:/data/wh.duckdb");
        assertThat(env.get("SPILLWAY_COMPRESSION").get("value").asText()).isEqualTo("gzip");
        assertThat(def.at("/retryStrategy/attempts").asInt()).isEqualTo(5);
        JsonNode exit = def.at("/retryStrategy/evaluateOnExit/0");
        assertThat(exit.get("onExitCode").asText()).isEqualTo("2");
        assertThat(exit.get("action").asText()).isEqualTo("EXIT");
        assertThat(def.at("/timeout/attemptDurationSeconds").asLong()).isEqualTo(5400);

        JsonNode submit = both.get("submitJob");
        assertThat(submit.get("jobQueue").asText()).isEqualTo("exports");
        assertThat(submit.get("jobDefinition").asText()).isEqualTo("spillway");
        assertThat(submit.at("/arrayProperties/size").asInt()).isEqualTo(50);
        assertThat(env(submit.at("/containerOverrides/environment")).get("SPILLWAY_TASKS").get("value").asText())
                .as("the task count travels with the array size").isEqualTo("50");
        assertThat(r.err()).contains("maxvCpus 20");
    }

    @Test
    void workflowRunsTheCloudRunJobWithOverrides() throws Exception {
        Result r = render("workflows", "--source", "bigquery://proj/sales", "--dest", "gs://exports/sales",
                "--image", "img", "--tasks", "20", "--parallelism", "5", "--max-retries", "1",
                "--task-timeout", "30m", "--job-name", "sales-export", "--region", "us-central1");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode main = YAML.readTree(r.out()).get("main");
        assertThat(main.at("/params/0").asText()).isEqualTo("args");
        Map<String, JsonNode> steps = new HashMap<>();
        main.get("steps").forEach(s -> s.fields().forEachRemaining(e -> steps.put(e.getKey(), e.getValue())));
        Map<String, String> assigned = new HashMap<>();
        steps.get("init").get("assign").forEach(a -> a.fields().forEachRemaining(e -> assigned.put(e.getKey(), e.getValue().asText())));
        assertThat(assigned).containsEntry("job", "sales-export").containsEntry("region", "us-central1")
                .containsEntry("tasks", "${default(map.get(input, \"tasks\"), 20)}")
                .containsEntry("overrides", "${default(map.get(input, \"env\"), {})}");
        JsonNode run = steps.get("run");
        assertThat(run.get("call").asText()).isEqualTo("googleapis.run.v2.projects.locations.jobs.run");
        assertThat(run.at("/args/name").asText()).contains("\"/jobs/\" + job");
        assertThat(run.at("/args/body/overrides/taskCount").asText()).isEqualTo("${tasks}");
        assertThat(run.at("/args/body/overrides/containerOverrides/0/env").asText()).isEqualTo("${env}");
        assertThat(run.at("/args/connector_params/timeout").asLong()).as("4 waves of 2 attempts of 30 minutes")
                .isEqualTo(4 * 2 * 1800);
        assertThat(steps.get("environment").at("/for/in").asText()).isEqualTo("${keys(overrides)}");
        assertThat(steps.get("done").get("return").asText()).isEqualTo("${execution}");
    }

    @Test
    void aPasswordIsRenderedAsASecretReferenceOnEveryEngine() throws Exception {
        String source = "postgresql://exporter:" + PASSWORD + "@db.internal:5432/app";
        for (String engine : List.of("cloud-run", "kubernetes", "aws-batch")) {
            Result r = render(engine, "--source", source, "--dest", "gs://b/p", "--image", "img", "--tasks", "3",
                    "--secret", "app-db-uri", "--execution-role", "arn:aws:iam::1:role/exec");
            assertThat(r.code()).as(engine + ": " + r.err()).isZero();
            assertThat(r.out() + r.err()).as(engine).doesNotContain(PASSWORD);
            assertThat(r.err()).as(engine).contains("holds a password").contains("app-db-uri");
            JsonNode doc = engine.equals("aws-batch") ? Json.MAPPER.readTree(r.out()) : YAML.readTree(r.out());
            switch (engine) {
                case "cloud-run" -> assertThat(env(doc.at("/spec/template/spec/template/spec/containers/0/env"))
                        .get("SPILLWAY_SOURCE").at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("app-db-uri");
                case "kubernetes" -> assertThat(env(doc.at("/spec/template/spec/containers/0/env"))
                        .get("SPILLWAY_SOURCE").at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("app-db-uri");
                default -> {
                    JsonNode c = doc.at("/jobDefinition/containerProperties");
                    assertThat(env(c.get("secrets")).get("SPILLWAY_SOURCE").get("valueFrom").asText()).isEqualTo("app-db-uri");
                    assertThat(env(c.get("environment"))).doesNotContainKey("SPILLWAY_SOURCE");
                    assertThat(c.get("executionRoleArn").asText()).isEqualTo("arn:aws:iam::1:role/exec");
                }
            }
        }
    }

    @Test
    void whatAnEngineRefusesIsABadJob() {
        Result noRole = render("aws-batch", "--source", "mysql://u:pw@db/app", "--dest", "s3://b", "--image", "img");
        assertThat(noRole.code()).isEqualTo(ExitCode.BAD_JOB.code);
        assertThat(noRole.err()).contains("--execution-role").doesNotContain("pw@");
        Result tooManyRetries = render("aws-batch", "--source", "duckdb:x", "--dest", "s3://b", "--image", "img",
                "--max-retries", "10");
        assertThat(tooManyRetries.err()).contains("at most 10 attempts");
        Result badAccount = render("cloud-run", "--source", "duckdb:x", "--dest", "gs://b", "--image", "img",
                "--service-account", "spillway", "--task-timeout", "8d");
        assertThat(badAccount.code()).isEqualTo(ExitCode.BAD_JOB.code);
        assertThat(badAccount.err()).contains("service account email").contains("at most 168h");
        Result several = render("kubernetes", "--source", "duckdb:x", "--dest", "s3://b", "--job-name", "Bad_Name",
                "--memory", "100Mi", "--cpu", "lots");
        assertThat(several.code()).isEqualTo(ExitCode.BAD_JOB.code);
        Result unknown = render("nomad", "--source", "duckdb:x", "--dest", "s3://b", "--image", "img");
        assertThat(unknown.err()).contains("unknown engine 'nomad'").contains("cloud-run, kubernetes, aws-batch, workflows");
    }

    @Test
    void missingImageAndBadNamesAreReportedTogether() {
        Result r = render("kubernetes", "--source", "duckdb:x", "--dest", "s3://b", "--job-name", "Bad_Name",
                "--memory", "100Mi");
        assertThat(r.code()).isEqualTo(ExitCode.BAD_JOB.code);
        assertThat(r.err()).contains("--job-name 'Bad_Name'").contains("--image is missing").contains("--memory");
    }

    @Test
    void outWritesOneFilePerDefinition(@TempDir Path dir) throws Exception {
        Result r = render("aws-batch", "--source", "duckdb:x", "--dest", "s3://b", "--image", "img", "--tasks", "4",
                "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode def = Json.MAPPER.readTree(Files.readString(dir.resolve("aws-batch-job-definition.json")));
        JsonNode submit = Json.MAPPER.readTree(Files.readString(dir.resolve("aws-batch-submit-job.json")));
        assertThat(def.get("jobDefinitionName").asText()).isEqualTo(submit.get("jobDefinition").asText());
        assertThat(r.out()).contains("Wrote").contains("aws batch register-job-definition --cli-input-json");
    }

    @Test
    void oneTaskOnAwsBatchIsAPlainJob() throws Exception {
        Result r = render("aws-batch", "--source", "duckdb:x", "--dest", "s3://b", "--image", "img");
        JsonNode submit = Json.MAPPER.readTree(r.out()).get("submitJob");
        assertThat(submit.has("arrayProperties")).as("array jobs have 2 to 10,000 children").isFalse();
        assertThat(env(submit.at("/containerOverrides/environment")).get("SPILLWAY_TASKS").get("value").asText())
                .isEqualTo("1");
    }
}
