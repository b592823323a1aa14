package io.spillway.engine;

import io.spillway.job.JobException;
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

    public static TaskContext read(Map<String, String> env, Overrides flags) {
        String engine;
        String index;
        String count;
        String attempt;
        String execution;
        if (env.containsKey("CLOUD_RUN_TASK_INDEX")) {
            engine = "cloud-run";
            index = env.get("CLOUD_RUN_TASK_INDEX");
            count = env.get("CLOUD_RUN_TASK_COUNT");
            attempt = env.get("CLOUD_RUN_TASK_ATTEMPT");
            execution = env.get("CLOUD_RUN_EXECUTION");
        } else if (env.containsKey("JOB_COMPLETION_INDEX")) {
            engine = "kubernetes";
            index = env.get("JOB_COMPLETION_INDEX");
            count = env.get("SPILLWAY_TASKS");
            attempt = env.getOrDefault("SPILLWAY_ATTEMPT", "0");
            execution = env.get("SPILLWAY_EXECUTION");
        } else if (env.containsKey("AWS_BATCH_JOB_ARRAY_INDEX")) {
            engine = "aws-batch";
            index = env.get("AWS_BATCH_JOB_ARRAY_INDEX");
            count = env.get("SPILLWAY_TASKS");
            String a = env.get("AWS_BATCH_JOB_ATTEMPT");
            attempt = a == null ? null : Integer.toString(number("AWS_BATCH_JOB_ATTEMPT", a) - 1);
            String id = env.get("AWS_BATCH_JOB_ID");
            execution = id == null ? null : id.replaceFirst(":\\d+$", "");
        } else {
            engine = "local";
            index = env.get("SPILLWAY_TASK_INDEX");
            count = env.get("SPILLWAY_TASKS");
            attempt = env.get("SPILLWAY_ATTEMPT");
            execution = null;
        }
        if (execution == null) {
            execution = env.get("SPILLWAY_EXECUTION");
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

    private static int number(String what, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new JobException(what + " '" + value + "' is not a whole number");
        }
    }
}
