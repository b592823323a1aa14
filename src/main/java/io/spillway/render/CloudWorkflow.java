package io.spillway.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A Google Workflows definition that runs the Cloud Run job rendered by {@code render cloud-run}
 * and waits for the execution to end, with per-execution overrides taken from the workflow's
 * arguments: {@code tasks} (the task count) and {@code env} (a map of variables, e.g. {@code
 * {"SPILLWAY_DEST": "gs://bucket/2024-06-01"}}), merged into the job's environment. The
 * workflow fails when the execution fails.
 */
final class CloudWorkflow implements Renderer {
    static final String FILE = "workflow.yaml";
    static final String CONNECTOR = "googleapis.run.v2.projects.locations.jobs.run";
    private static final long MAX_CONNECTOR_TIMEOUT = 31_536_000; // a year, the connector's limit

    @Override
    public List<Definition> render(Deployment d) {
        ObjectNode workflow = Definition.object();
        ObjectNode main = workflow.putObject("main");
        main.putArray("params").add("args");
        ArrayNode steps = main.putArray("steps");

        ArrayNode init = steps.addObject().putObject("init").putArray("assign");
        init.addObject().put("input", "${default(args, {})}");
        init.addObject().put("project", "${sys.get_env(\"GOOGLE_CLOUD_PROJECT_ID\")}");
        init.addObject().put("region", d.region() != null ? d.region() : "${sys.get_env(\"GOOGLE_CLOUD_LOCATION\")}");
        init.addObject().put("job", d.jobName());
        init.addObject().put("tasks", "${default(map.get(input, \"tasks\"), " + d.tasks() + ")}");
        init.addObject().put("overrides", "${default(map.get(input, \"env\"), {})}");
        init.addObject().putArray("env");

        ObjectNode loop = steps.addObject().putObject("environment").putObject("for");
        loop.put("value", "name");
        loop.put("in", "${keys(overrides)}");
        loop.putArray("steps").addObject().putObject("add").putArray("assign").addObject()
                .put("env", "${list.concat(env, {\"name\": name, \"value\": overrides[name]})}");

        ObjectNode run = steps.addObject().putObject("run");
        run.put("call", CONNECTOR);
        ObjectNode args = run.putObject("args");
        args.put("name", "${\"projects/\" + project + \"/locations/\" + region + \"/jobs/\" + job}");
        ObjectNode overrides = args.putObject("body").putObject("overrides");
        overrides.put("taskCount", "${tasks}");
        overrides.putArray("containerOverrides").addObject().put("env", "${env}");
        args.putObject("connector_params").put("timeout", connectorTimeout(d));
        run.put("result", "execution");

        steps.addObject().putObject("done").put("return", "${execution}");
        return List.of(new Definition("workflow", FILE, workflow));
    }

    /** Long enough for every task to use every attempt up to its timeout, one wave of parallel tasks after another. */
    static long connectorTimeout(Deployment d) {
        long waves = (d.tasks() + d.parallelism() - 1) / d.parallelism();
        double seconds = (double) waves * (d.maxRetries() + 1) * d.taskTimeout().toSeconds();
        return (long) Math.min(seconds, MAX_CONNECTOR_TIMEOUT);
    }

    @Override
    public List<String> nextSteps(Deployment d) {
        String region = d.region() != null ? d.region() : "REGION";
        return List.of(
                "spillway render cloud-run ... > " + CloudRunJob.FILE + " && gcloud run jobs replace "
                        + CloudRunJob.FILE + " --region " + region + "   # the job this workflow runs",
                "gcloud workflows deploy " + d.jobName() + "-export --source " + FILE + " --location " + region
                        + " --service-account WORKFLOW_SA",
                "gcloud workflows run " + d.jobName() + "-export --location " + region
                        + " --data '{\"tasks\": " + d.tasks() + ", \"env\": {\"SPILLWAY_DEST\": \"" + CloudRunJob.dest(d)
                        + "\"}}'");
    }

    @Override
    public List<String> notes(Deployment d) {
        return List.of("The workflow's service account needs roles/run.developer granted on the job '" + d.jobName()
                + "' only (to run it with overrides and follow the execution), nothing project-wide. Values in"
                + " args.env must be strings.");
    }
}
