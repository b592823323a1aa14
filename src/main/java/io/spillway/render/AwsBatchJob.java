package io.spillway.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spillway.spi.JobException;
import java.util.ArrayList;
import java.util.List;

/**
 * An AWS Batch job definition (EC2 compute) for {@code aws batch register-job-definition}, and
 * the array job that runs it for {@code aws batch submit-job}. AWS Batch tells each child its
 * index, attempt and job id (the execution); the array size goes to SPILLWAY_TASKS in the same
 * submission, so the two cannot disagree. Exit code 2 (the job is wrong) ends a child without
 * retrying it; any other failure is retried.
 */
final class AwsBatchJob implements Renderer {
    static final String DEFINITION_FILE = "aws-batch-job-definition.json";
    static final String SUBMIT_FILE = "aws-batch-submit-job.json";
    private static final int MAX_ATTEMPTS = 10;

    @Override
    public List<Definition> render(Deployment d) {
        List<String> problems = new ArrayList<>();
        if (d.maxRetries() + 1 > MAX_ATTEMPTS) {
            problems.add("AWS Batch allows at most " + MAX_ATTEMPTS + " attempts: use --max-retries "
                    + (MAX_ATTEMPTS - 1) + " or less");
        }
        if (d.taskTimeout().toSeconds() < 60) {
            problems.add("AWS Batch stops attempts after at least 60 s: use --task-timeout 60s or more");
        }
        if (d.cpuMillis() % 1000 != 0) {
            problems.add("AWS Batch on EC2 takes whole vCPUs: use --cpu 1, 2, ...; not " + d.cpuNumber());
        }
        if (d.serviceAccount() != null && !d.serviceAccount().startsWith("arn:")) {
            problems.add("--service-account on AWS Batch is the ARN of the job's IAM role, e.g."
                    + " arn:aws:iam::ACCOUNT:role/spillway-job, not '" + d.serviceAccount() + "'");
        }
        if (d.hasSecrets() && d.executionRole() == null) {
            problems.add("the source URI holds a password, rendered as a secret that AWS Batch reads with an"
                    + " execution role: give --execution-role arn:aws:iam::ACCOUNT:role/ROLE");
        }
        if (!problems.isEmpty()) {
            throw new JobException(String.join("\n", problems));
        }
        return List.of(new Definition("jobDefinition", DEFINITION_FILE, definition(d)),
                new Definition("submitJob", SUBMIT_FILE, submission(d)));
    }

    private static ObjectNode definition(Deployment d) {
        ObjectNode def = Definition.object();
        def.put("jobDefinitionName", d.jobName());
        def.put("type", "container");
        def.putArray("platformCapabilities").add("EC2");
        ObjectNode container = def.putObject("containerProperties");
        container.put("image", d.image());
        container.putArray("command").add("task");
        ArrayNode resources = container.putArray("resourceRequirements");
        resources.addObject().put("type", "VCPU").put("value", d.cpuNumber());
        resources.addObject().put("type", "MEMORY").put("value", Long.toString(d.memoryMib()));
        ArrayNode env = container.putArray("environment");
        ArrayNode secrets = Definition.JSON.createArrayNode();
        for (EnvVar v : d.environment()) {
            if (v.secret()) {
                secrets.addObject().put("name", v.name()).put("valueFrom", v.value());
            } else {
                env.addObject().put("name", v.name()).put("value", v.value());
            }
        }
        if (!secrets.isEmpty()) {
            container.set("secrets", secrets);
        }
        if (d.serviceAccount() != null) {
            container.put("jobRoleArn", d.serviceAccount());
        }
        if (d.executionRole() != null) {
            container.put("executionRoleArn", d.executionRole());
        }
        ObjectNode retry = def.putObject("retryStrategy");
        retry.put("attempts", d.maxRetries() + 1);
        // the first match wins; a failure that matches nothing is retried
        retry.putArray("evaluateOnExit").addObject().put("onExitCode", "2").put("action", "EXIT");
        def.putObject("timeout").put("attemptDurationSeconds", d.taskTimeout().toSeconds());
        return def;
    }

    private static ObjectNode submission(Deployment d) {
        ObjectNode submit = Definition.object();
        submit.put("jobName", d.jobName());
        submit.put("jobQueue", d.jobQueue() != null ? d.jobQueue() : d.jobName());
        submit.put("jobDefinition", d.jobName());
        if (d.tasks() > 1) { // an array job has 2 to 10,000 children; one task is a plain job
            submit.putObject("arrayProperties").put("size", d.tasks());
        }
        submit.putObject("containerOverrides").putArray("environment").addObject().put("name", "SPILLWAY_TASKS")
                .put("value", Integer.toString(d.tasks()));
        return submit;
    }

    @Override
    public List<String> nextSteps(Deployment d) {
        return List.of(
                "docker build -t " + d.image() + " . && docker push " + d.image(),
                "aws batch register-job-definition --cli-input-json file://" + DEFINITION_FILE,
                "aws batch submit-job --cli-input-json file://" + SUBMIT_FILE + "   # every submission is a new execution",
                "spillway status --dest " + CloudRunJob.dest(d));
    }

    @Override
    public List<String> notes(Deployment d) {
        List<String> notes = new ArrayList<>();
        notes.add("AWS Batch has no parallelism per job: at most maxvCpus / " + d.cpuNumber() + " children of "
                + d.tasks() + " run at once, set by the compute environment of job queue '"
                + (d.jobQueue() != null ? d.jobQueue() : d.jobName()) + "' (for --parallelism "
                + d.parallelism() + ": maxvCpus " + (long) d.parallelism() * d.cpuMillis() / 1000 + ").");
        for (EnvVar v : d.environment()) {
            if (v.secret()) {
                notes.add("The source URI holds a password, so " + v.name() + " is rendered as a reference to '"
                        + v.value() + "' (an SSM parameter name or a Secrets Manager ARN), never as text. Create it"
                        + " with: aws ssm put-parameter --name " + v.value() + " --type SecureString --value"
                        + " \"$SOURCE_URI\"  and allow the execution role ssm:GetParameters on it.");
            }
        }
        return notes;
    }
}
