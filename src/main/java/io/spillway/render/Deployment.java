package io.spillway.render;

import io.spillway.config.JobConfig;
import io.spillway.source.Sources;
import io.spillway.spi.JobException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A job as it is to be deployed on an engine: what every task runs (image, environment) and how
 * the engine runs the tasks (count, parallelism, retries, timeout, size, identity).
 *
 * <p>{@code serviceAccount} is the identity the tasks run as: a service account email on Cloud
 * Run, a ServiceAccount name on Kubernetes, a job role ARN on AWS Batch. {@code secret} names the
 * secret that holds the source URI when it carries a password. {@code region}, {@code jobQueue}
 * and {@code executionRole} are used by the engines that need them; any may be null.
 */
public record Deployment(String jobName, String image, int tasks, int parallelism, int maxRetries,
        Duration taskTimeout, long memoryBytes, long cpuMillis, String serviceAccount, String region, String jobQueue,
        String executionRole, List<EnvVar> environment) {

    private static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]{0,47}[a-z0-9])?");
    private static final Pattern CPU = Pattern.compile("(\\d+)(?:\\.(\\d{1,3}))?|(\\d+)m");
    static final long MIB = 1L << 20;

    public Deployment {
        environment = List.copyOf(environment);
    }

    /** Reports every problem at once, one per line. */
    public Deployment validate() {
        List<String> problems = new ArrayList<>();
        if (jobName == null || !NAME.matcher(jobName).matches()) {
            problems.add("--job-name '" + jobName + "' is not valid: use up to 49 lowercase letters, digits and '-',"
                    + " starting with a letter");
        }
        if (image == null || image.isBlank()) {
            problems.add("--image is missing (or SPILLWAY_IMAGE): the container image built from the Dockerfile,"
                    + " e.g. us-docker.pkg.dev/PROJECT/REPO/spillway:0.1.0");
        }
        if (tasks < 1 || tasks > 10_000) {
            problems.add("--tasks must be between 1 and 10000, not " + tasks);
        }
        if (parallelism < 1) {
            problems.add("--parallelism must be at least 1, not " + parallelism);
        }
        if (parallelism == 1 && tasks > 1 && environment.stream().anyMatch(v -> v.name().equals("SPILLWAY_CONSISTENT"))) {
            problems.add("--consistent needs --parallelism 2 or more: the task that plans holds the snapshot until every"
                    + " unit is committed, so with one task at a time the others would never start");
        }
        if (maxRetries < 0 || maxRetries > 10) {
            problems.add("--max-retries must be between 0 and 10, not " + maxRetries);
        }
        if (taskTimeout == null || taskTimeout.toSeconds() < 1) {
            problems.add("--task-timeout must be at least 1s, not " + taskTimeout);
        }
        if (memoryBytes < 512 * MIB) {
            problems.add("--memory must be at least 512Mi for the JVM and its buffers");
        }
        if (cpuMillis < 1) {
            problems.add("--cpu must be positive");
        }
        if (!problems.isEmpty()) {
            throw new JobException(String.join("\n", problems));
        }
        return this;
    }

    /**
     * The job's export options as the environment of every task: the source, the destination
     * and every option that differs from its default. A source URI that holds a password becomes
     * a reference to {@code secret}.
     */
    public static List<EnvVar> environment(JobConfig config, String secret) {
        List<EnvVar> env = new ArrayList<>();
        if (hasCredential(config.source())) {
            env.add(EnvVar.fromSecret("SPILLWAY_SOURCE", secret));
        } else {
            env.add(EnvVar.plain("SPILLWAY_SOURCE", config.source()));
        }
        if (hasCredential(config.dest())) {
            throw new JobException("--dest holds a credential: give the tasks access to the destination through"
                    + " their identity (--service-account) instead");
        }
        env.add(EnvVar.plain("SPILLWAY_DEST", config.dest()));
        env.add(EnvVar.plain("SPILLWAY_FORMAT", config.format().toString()));
        env.add(EnvVar.plain("SPILLWAY_COMPRESSION", config.compression().toString()));
        if (config.maxFileSize() != JobConfig.DEFAULT_MAX_FILE_SIZE) {
            env.add(EnvVar.plain("SPILLWAY_MAX_FILE_SIZE", Long.toString(config.maxFileSize())));
        }
        if (config.splitSize() != JobConfig.AUTO_SPLIT) {
            env.add(EnvVar.plain("SPILLWAY_SPLIT_SIZE", JobConfig.splitSizeText(config.splitSize())));
        }
        if (!config.includes().isEmpty()) {
            env.add(EnvVar.plain("SPILLWAY_INCLUDE", String.join(",", config.includes())));
        }
        if (!config.excludes().isEmpty()) {
            env.add(EnvVar.plain("SPILLWAY_EXCLUDE", String.join(",", config.excludes())));
        }
        if (!config.snapshot()) {
            env.add(EnvVar.plain("SPILLWAY_NO_SNAPSHOT", "true"));
        }
        if (config.consistent()) {
            env.add(EnvVar.plain("SPILLWAY_CONSISTENT", "true"));
        }
        if (config.skipUnchanged()) {
            env.add(EnvVar.plain("SPILLWAY_SKIP_UNCHANGED", "true"));
        }
        if (!config.cursors().isEmpty()) {
            env.add(EnvVar.plain("SPILLWAY_CURSOR", config.cursors().stream().map(Object::toString)
                    .collect(java.util.stream.Collectors.joining(","))));
        }
        if (!config.partitions().isEmpty()) {
            env.add(EnvVar.plain("SPILLWAY_PARTITION_BY", config.partitions().stream().map(Object::toString)
                    .collect(java.util.stream.Collectors.joining(","))));
        }
        if (config.fullRefresh()) {
            env.add(EnvVar.plain("SPILLWAY_FULL_REFRESH", "true"));
        }
        if (config.layout() != JobConfig.Versioning.REPLACE) {
            env.add(EnvVar.plain("SPILLWAY_LAYOUT", config.layout().toString().toLowerCase(Locale.ROOT)));
            if (config.keep() != JobConfig.DEFAULT_KEEP) {
                env.add(EnvVar.plain("SPILLWAY_KEEP", Integer.toString(config.keep())));
            }
        }
        return env;
    }

    /** What holds for every engine: a local destination inside a container vanishes with it. */
    public List<String> notes() {
        List<String> notes = new ArrayList<>(environment.stream()
                .filter(v -> v.name().equals("SPILLWAY_DEST") && !v.value().matches("(?i)(gs|s3)://.+"))
                .map(v -> "SPILLWAY_DEST " + v.value() + " is a folder inside the container: its files vanish"
                        + " with the container unless a volume is mounted there; a bucket (gs://, s3://) is the usual"
                        + " destination.")
                .toList());
        if (environment.stream().anyMatch(v -> v.name().equals("SPILLWAY_CONSISTENT"))) {
            notes.add("SPILLWAY_CONSISTENT: the task that plans holds the snapshot open until every unit of the"
                    + " execution is committed, so --task-timeout must cover the whole execution, not one task's"
                    + " share; if that task ends early, the others fail with exit code 2 and a new execution is needed.");
        }
        return notes;
    }

    static boolean hasCredential(String uri) {
        return uri != null && Sources.hasSecret(uri);
    }

    /** {@code 2Gi}, {@code 1536Mi}: the memory as a Kubernetes quantity (Cloud Run takes the same). */
    public String memoryQuantity() {
        long gib = 1024 * MIB;
        return memoryBytes % gib == 0 ? memoryBytes / gib + "Gi" : memoryBytes / MIB + "Mi";
    }

    public long memoryMib() {
        return memoryBytes / MIB;
    }

    /** {@code 2}, {@code 500m}: the CPU as a Kubernetes quantity. */
    public String cpuQuantity() {
        return cpuMillis % 1000 == 0 ? Long.toString(cpuMillis / 1000) : cpuMillis + "m";
    }

    /** {@code 1}, {@code 0.25}: the CPU as a number of vCPUs. */
    public String cpuNumber() {
        return BigDecimal.valueOf(cpuMillis, 3).stripTrailingZeros().toPlainString();
    }

    public boolean hasSecrets() {
        return environment.stream().anyMatch(EnvVar::secret);
    }

    /** Parses a CPU amount: {@code 1}, {@code 0.5}, {@code 500m}. */
    public static long cpuMillis(String text) {
        var m = CPU.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new JobException("--cpu '" + text + "' is not a CPU amount: write it like 1, 2, 0.5 or 500m");
        }
        if (m.group(3) != null) {
            return Long.parseLong(m.group(3));
        }
        String fraction = m.group(2) == null ? "" : m.group(2);
        return Long.parseLong(m.group(1)) * 1000 + (fraction.isEmpty() ? 0 : Long.parseLong((fraction + "00").substring(0, 3)));
    }
}
