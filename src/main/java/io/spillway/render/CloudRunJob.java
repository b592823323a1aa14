package io.spillway.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spillway.spi.JobException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Cloud Run job for {@code gcloud run jobs replace}: the task count, parallelism, retries and
 * timeout of the job, and the export options as the container's environment. Cloud Run tells
 * each task its index, count, attempt and execution; nothing else needs wiring.
 */
final class CloudRunJob implements Renderer {
    static final String FILE = "cloud-run-job.yaml";
    private static final Duration MAX_TIMEOUT = Duration.ofDays(7);

    @Override
    public List<Definition> render(Deployment d) {
        List<String> problems = new ArrayList<>();
        if (d.taskTimeout().compareTo(MAX_TIMEOUT) > 0) {
            problems.add("--task-timeout is at most 168h on Cloud Run, not " + d.taskTimeout().toHours() + "h");
        }
        if (d.serviceAccount() != null && !d.serviceAccount().contains("@")) {
            problems.add("--service-account on Cloud Run is a service account email, e.g."
                    + " spillway@PROJECT.iam.gserviceaccount.com, not '" + d.serviceAccount() + "'");
        }
        if (!problems.isEmpty()) {
            throw new JobException(String.join("\n", problems));
        }
        ObjectNode job = Definition.object();
        job.put("apiVersion", "run.googleapis.com/v1");
        job.put("kind", "Job");
        ObjectNode metadata = job.putObject("metadata");
        metadata.put("name", d.jobName());
        if (d.region() != null) {
            metadata.putObject("labels").put("cloud.googleapis.com/location", d.region());
        }
        ObjectNode execution = job.putObject("spec").putObject("template").putObject("spec");
        execution.put("taskCount", d.tasks());
        execution.put("parallelism", Math.min(d.parallelism(), d.tasks()));
        ObjectNode task = execution.putObject("template").putObject("spec");
        task.put("maxRetries", d.maxRetries());
        task.put("timeoutSeconds", Long.toString(d.taskTimeout().toSeconds()));
        if (d.serviceAccount() != null) {
            task.put("serviceAccountName", d.serviceAccount());
        }
        ObjectNode container = task.putArray("containers").addObject();
        container.put("image", d.image());
        container.putArray("args").add("task");
        ArrayNode env = container.putArray("env");
        for (EnvVar v : d.environment()) {
            ObjectNode e = env.addObject().put("name", v.name());
            if (v.secret()) {
                e.putObject("valueFrom").putObject("secretKeyRef").put("name", v.value()).put("key", "latest");
            } else {
                e.put("value", v.value());
            }
        }
        ObjectNode limits = container.putObject("resources").putObject("limits");
        limits.put("cpu", d.cpuQuantity());
        limits.put("memory", d.memoryQuantity());
        return List.of(new Definition("job", FILE, job));
    }

    @Override
    public List<String> nextSteps(Deployment d) {
        String region = d.region() != null ? d.region() : "REGION";
        return List.of(
                "gcloud builds submit --tag " + d.image() + "   # from the repository root: builds the Dockerfile",
                "gcloud run jobs replace " + FILE + " --region " + region,
                "gcloud run jobs execute " + d.jobName() + " --region " + region + " --wait",
                "spillway status --dest " + dest(d));
    }

    @Override
    public List<String> notes(Deployment d) {
        List<String> notes = new ArrayList<>();
        for (EnvVar v : d.environment()) {
            if (v.secret()) {
                notes.add("The source URI holds a password, so " + v.name() + " is rendered as a reference to the"
                        + " Secret Manager secret '" + v.value() + "' (version latest), never as text. Create it with:"
                        + " printf %s \"$SOURCE_URI\" | gcloud secrets create " + v.value() + " --data-file=-"
                        + "  and grant the job's service account roles/secretmanager.secretAccessor on that secret.");
            }
        }
        return notes;
    }

    static String dest(Deployment d) {
        return d.environment().stream().filter(v -> v.name().equals("SPILLWAY_DEST")).map(EnvVar::value)
                .findFirst().orElse("DEST");
    }
}
