package io.spillway.engine;

import io.spillway.spi.JobException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;

/**
 * The one place that reads a task's identity from the engine's environment:
 *
 * <table>
 * <tr><th>engine<th>index<th>count<th>attempt<th>execution
 * <tr><td>Cloud Run Jobs<td>CLOUD_RUN_TASK_INDEX<td>CLOUD_RUN_TASK_COUNT<td>CLOUD_RUN_TASK_ATTEMPT<td>CLOUD_RUN_EXECUTION
 * <tr><td>Kubernetes Indexed Job<td>JOB_COMPLETION_INDEX<td>SPILLWAY_TASKS<td>SPILLWAY_ATTEMPT or 0<td>SPILLWAY_EXECUTION
 * <tr><td>AWS Batch array job<td>AWS_BATCH_JOB_ARRAY_INDEX<td>SPILLWAY_TASKS<td>AWS_BATCH_JOB_ATTEMPT - 1<td>AWS_BATCH_JOB_ID without ":index"
 * <tr><td>explicit<td>--task-index<td>--tasks<td>--attempt<td>--execution
 * </table>
 *
 * Flags win over the environment. Without any index, the task is task 0 of 1.
 */
public final class EngineEnvironment {
    private EngineEnvironment() {}

    /** Values given on the command line; null where not given. */
    public record Overrides(Integer index, Integer count, Integer attempt, String execution) {}

    /**
     * Whether this process runs under Cloud Run, Kubernetes or AWS Batch, whose log collectors
     * want one JSON object per line on stdout.
     */
    public static boolean underEngine(Map<String, String> env) {
        return get(env, "CLOUD_RUN_JOB") != null || get(env, "KUBERNETES_SERVICE_HOST") != null
                || get(env, "AWS_BATCH_JOB_ID") != null;
    }

    public static TaskContext read(Map<String, String> env, Overrides flags) {
        String engine;
        String index;
        String count;
        String attempt;
        String execution;
        if (get(env, "CLOUD_RUN_TASK_INDEX") != null) {
            engine = "cloud-run";
            index = get(env, "CLOUD_RUN_TASK_INDEX");
            count = get(env, "CLOUD_RUN_TASK_COUNT");
            attempt = get(env, "CLOUD_RUN_TASK_ATTEMPT");
            execution = get(env, "CLOUD_RUN_EXECUTION");
        } else if (get(env, "JOB_COMPLETION_INDEX") != null) {
            engine = "kubernetes";
            index = get(env, "JOB_COMPLETION_INDEX");
            count = get(env, "SPILLWAY_TASKS");
            // from the pod's batch.kubernetes.io/job-index-failure-count annotation; empty on a first try
            attempt = get(env, "SPILLWAY_ATTEMPT");
            execution = get(env, "SPILLWAY_EXECUTION");
        } else if (get(env, "AWS_BATCH_JOB_ARRAY_INDEX") != null || get(env, "AWS_BATCH_JOB_ID") != null) {
            engine = "aws-batch"; // a job of size 1 is not an array job: no index, it is task 0
            index = get(env, "AWS_BATCH_JOB_ARRAY_INDEX");
            count = get(env, "SPILLWAY_TASKS");
            String a = get(env, "AWS_BATCH_JOB_ATTEMPT");
            attempt = a == null ? null : Integer.toString(number("AWS_BATCH_JOB_ATTEMPT", a) - 1);
            String id = get(env, "AWS_BATCH_JOB_ID");
            execution = id == null ? null : id.replaceFirst(":\\d+$", "");
        } else {
            engine = "local";
            index = get(env, "SPILLWAY_TASK_INDEX");
            count = get(env, "SPILLWAY_TASKS");
            attempt = get(env, "SPILLWAY_ATTEMPT");
            execution = null;
        }
        if (execution == null) {
            execution = get(env, "SPILLWAY_EXECUTION");
        }
        int i = flags.index() != null ? flags.index() : index == null ? 0 : number("the task index", index);
        int n;
        if (flags.count() != null) {
            n = flags.count();
        } else if (count != null) {
            n = number("the task count", count);
        } else if (!engine.equals("local")) {
            throw new JobException("the task count is not set: set SPILLWAY_TASKS to the job's number of tasks ("
                    + engine + " does not tell it)");
        } else {
            n = 1;
        }
        int a = flags.attempt() != null ? flags.attempt() : attempt == null ? 0 : number("the attempt", attempt);
        String e = flags.execution() != null ? flags.execution() : execution;
        if (e == null || e.isBlank()) {
            if (!engine.equals("local")) {
                throw new JobException("the execution id is not set: set SPILLWAY_EXECUTION (for Kubernetes, from the"
                        + " Job's metadata.uid) so that all tasks share one plan");
            }
            if (n > 1) {
                throw new JobException("--execution is needed when running task " + i + " of " + n
                        + ": every task of one execution must name the same id");
            }
            e = newExecutionId();
        }
        return new TaskContext(i, n, a, e, engine);
    }

    public static String newExecutionId() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + UUID.randomUUID().toString().substring(0, 6);
    }

    /** The variable's value, or null when it is unset or blank (the downward API gives "" for a missing annotation). */
    private static String get(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    private static int number(String what, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new JobException(what + " '" + value + "' is not a whole number");
        }
    }
}
