package io.spillway.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spillway.spi.JobException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Kubernetes Indexed Job (Kubernetes 1.29 or later, for {@code backoffLimitPerIndex}), for
 * {@code kubectl create}: each {@code create} makes a new Job with a generated name, hence a new
 * uid, hence a new execution.
 *
 * <p>Kubernetes tells a pod only its index, so the manifest wires the rest: SPILLWAY_TASKS is the
 * completion count; SPILLWAY_EXECUTION is the Job's uid, from the {@code
 * batch.kubernetes.io/controller-uid} label the Job controller puts on its pods (the downward API
 * cannot read the Job's own metadata); SPILLWAY_ATTEMPT is the index's failure count so far, from
 * the {@code batch.kubernetes.io/job-index-failure-count} annotation (absent, hence 0, on a first
 * try). Exit code 2 (the job is wrong) fails the index at once; evicted or preempted pods do not
 * count as failures; a replacement pod starts only once the pod it replaces has stopped.
 */
final class KubernetesJob implements Renderer {
    static final String FILE = "kubernetes-job.yaml";
    static final String CONTAINER = "spillway";
    static final String UID_LABEL = "batch.kubernetes.io/controller-uid";
    static final String FAILURES_ANNOTATION = "batch.kubernetes.io/job-index-failure-count";
    static final String SECRET_KEY = "source";
    private static final Pattern SERVICE_ACCOUNT = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    static final long RUN_AS = 10001; // the user of the Dockerfile's runtime stage (DockerfileTest checks)

    @Override
    public List<Definition> render(Deployment d) {
        if (d.serviceAccount() != null && !SERVICE_ACCOUNT.matcher(d.serviceAccount()).matches()) {
            throw new JobException("--service-account on Kubernetes is the name of a ServiceAccount in the Job's"
                    + " namespace (bound to a cloud identity by Workload Identity or IRSA), not '"
                    + d.serviceAccount() + "'");
        }
        ObjectNode job = Definition.object();
        job.put("apiVersion", "batch/v1");
        job.put("kind", "Job");
        ObjectNode metadata = job.putObject("metadata");
        metadata.put("generateName", d.jobName() + "-");
        labels(metadata, d);
        ObjectNode spec = job.putObject("spec");
        spec.put("completionMode", "Indexed");
        spec.put("completions", d.tasks());
        spec.put("parallelism", Math.min(d.parallelism(), d.tasks()));
        spec.put("backoffLimitPerIndex", d.maxRetries());
        spec.put("podReplacementPolicy", "Failed");
        ArrayNode rules = spec.putObject("podFailurePolicy").putArray("rules");
        ObjectNode failIndex = rules.addObject().put("action", "FailIndex");
        failIndex.putObject("onExitCodes").put("containerName", CONTAINER).put("operator", "In")
                .putArray("values").add(2);
        // status is required by the published schema, though the API server would default it to True
        rules.addObject().put("action", "Ignore").putArray("onPodConditions").addObject().put("type", "DisruptionTarget")
                .put("status", "True");

        ObjectNode template = spec.putObject("template");
        labels(template.putObject("metadata"), d);
        ObjectNode pod = template.putObject("spec");
        pod.put("restartPolicy", "Never");
        pod.put("activeDeadlineSeconds", d.taskTimeout().toSeconds());
        if (d.serviceAccount() != null) {
            pod.put("serviceAccountName", d.serviceAccount());
        }
        pod.put("automountServiceAccountToken", false);
        ObjectNode security = pod.putObject("securityContext");
        security.put("runAsNonRoot", true);
        security.put("runAsUser", RUN_AS);
        security.put("runAsGroup", RUN_AS);
        security.putObject("seccompProfile").put("type", "RuntimeDefault");

        ObjectNode container = pod.putArray("containers").addObject();
        container.put("name", CONTAINER);
        container.put("image", d.image());
        container.putArray("args").add("task");
        ArrayNode env = container.putArray("env");
        for (EnvVar v : d.environment()) {
            ObjectNode e = env.addObject().put("name", v.name());
            if (v.secret()) {
                e.putObject("valueFrom").putObject("secretKeyRef").put("name", v.value()).put("key", SECRET_KEY);
            } else {
                e.put("value", v.value());
            }
        }
        env.addObject().put("name", "SPILLWAY_TASKS").put("value", Integer.toString(d.tasks()));
        env.addObject().put("name", "SPILLWAY_EXECUTION").putObject("valueFrom").putObject("fieldRef")
                .put("fieldPath", "metadata.labels['" + UID_LABEL + "']");
        env.addObject().put("name", "SPILLWAY_ATTEMPT").putObject("valueFrom").putObject("fieldRef")
                .put("fieldPath", "metadata.annotations['" + FAILURES_ANNOTATION + "']");
        ObjectNode resources = container.putObject("resources");
        resources.putObject("requests").put("cpu", d.cpuQuantity()).put("memory", d.memoryQuantity());
        resources.putObject("limits").put("memory", d.memoryQuantity());
        ObjectNode containerSecurity = container.putObject("securityContext");
        containerSecurity.put("allowPrivilegeEscalation", false);
        containerSecurity.put("readOnlyRootFilesystem", true);
        containerSecurity.putObject("capabilities").putArray("drop").add("ALL");
        container.putArray("volumeMounts").addObject().put("name", "tmp").put("mountPath", "/tmp");
        pod.putArray("volumes").addObject().put("name", "tmp").putObject("emptyDir");
        return List.of(new Definition("job", FILE, job));
    }

    private static void labels(ObjectNode metadata, Deployment d) {
        metadata.putObject("labels").put("app.kubernetes.io/name", "spillway").put("app.kubernetes.io/instance",
                d.jobName());
    }

    @Override
    public List<String> nextSteps(Deployment d) {
        return List.of(
                "docker build -t " + d.image() + " . && docker push " + d.image(),
                "kubectl create -f " + FILE + "   # every create is a new execution",
                "kubectl get jobs -l app.kubernetes.io/instance=" + d.jobName(),
                "spillway status --dest " + CloudRunJob.dest(d));
    }

    @Override
    public List<String> notes(Deployment d) {
        List<String> notes = new ArrayList<>();
        for (EnvVar v : d.environment()) {
            if (v.secret()) {
                notes.add("The source URI holds a password, so " + v.name() + " is rendered as a reference to key '"
                        + SECRET_KEY + "' of the Secret '" + v.value() + "', never as text. Create it with:"
                        + " kubectl create secret generic " + v.value() + " --from-literal=" + SECRET_KEY
                        + "=\"$SOURCE_URI\"");
            }
        }
        return notes;
    }
}
