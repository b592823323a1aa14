package io.spillway.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spillway.config.JobConfig;
import io.spillway.config.Sizes;
import io.spillway.engine.ExitCode;
import io.spillway.layout.Json;
import io.spillway.render.Definition;
import io.spillway.render.Deployment;
import io.spillway.render.Engine;
import io.spillway.render.Renderer;
import io.spillway.spi.JobException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Prints ready definitions of the job for an engine, from the same export options as run and
 * task. The definitions go to stdout (or files with --out); notes and next steps to stderr.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Prints a ready job definition for cloud-run, kubernetes, aws-batch or workflows.")
final class RenderCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ENGINE", description = "cloud-run, kubernetes, aws-batch or workflows")
    String engine;

    @Mixin
    ExportOptions export;

    @Option(names = "--image", paramLabel = "IMAGE", description = "the container image built from the Dockerfile")
    String image;

    @Option(names = "--tasks", paramLabel = "N", defaultValue = "1", description = "number of tasks (default: ${DEFAULT-VALUE})")
    int tasks;

    @Option(names = "--parallelism", paramLabel = "P", description = "tasks at once (default: all of them)")
    Integer parallelism;

    @Option(names = "--max-retries", paramLabel = "R", defaultValue = "3", description = "retries of a failed task (default: ${DEFAULT-VALUE})")
    int maxRetries;

    @Option(names = "--task-timeout", paramLabel = "DURATION", defaultValue = "1h", description = "stop an attempt after this long (default: ${DEFAULT-VALUE})")
    String taskTimeout;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "2Gi", description = "memory of each task (default: ${DEFAULT-VALUE})")
    String memory;

    @Option(names = "--cpu", paramLabel = "CPUS", defaultValue = "1", description = "CPUs of each task, e.g. 1, 2 or 500m (default: ${DEFAULT-VALUE})")
    String cpu;

    @Option(names = "--service-account", paramLabel = "ID", description = "what the tasks run as: a service account email"
            + " (Cloud Run), a ServiceAccount name (Kubernetes), a job role ARN (AWS Batch)")
    String serviceAccount;

    @Option(names = "--job-name", paramLabel = "NAME", defaultValue = "spillway", description = "the job's name (default: ${DEFAULT-VALUE})")
    String jobName;

    @Option(names = "--region", paramLabel = "REGION", description = "the Cloud Run region (Cloud Run, Workflows)")
    String region;

    @Option(names = "--job-queue", paramLabel = "QUEUE", description = "the AWS Batch job queue (default: the job's name)")
    String jobQueue;

    @Option(names = "--execution-role", paramLabel = "ARN", description = "the AWS Batch execution role, needed to read a secret")
    String executionRole;

    @Option(names = "--secret", paramLabel = "NAME", description = "the secret that holds a source URI with a password"
            + " (default: JOB-NAME-source)")
    String secret;

    @Option(names = "--out", paramLabel = "DIR", description = "write the definitions as files in DIR instead of printing them")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Engine target = Engine.parse(engine);
        int p = parallelism != null ? parallelism : tasks;
        JobConfig config = export.config(tasks, p, maxRetries, taskTimeout);
        long memoryBytes = Sizes.parse(memory);
        Deployment deployment = new Deployment(jobName, image, tasks, p, maxRetries, config.taskTimeout(),
                memoryBytes, Deployment.cpuMillis(cpu), blankToNull(serviceAccount), blankToNull(region),
                blankToNull(jobQueue), blankToNull(executionRole),
                Deployment.environment(config, secret != null ? secret : jobName + "-source")).validate();
        Renderer renderer = target.renderer();
        List<Definition> definitions = renderer.render(deployment);
        List<String> notes = new ArrayList<>(deployment.notes());
        notes.addAll(renderer.notes(deployment));

        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter info = out != null ? stdout : spec.commandLine().getErr();
        if (out != null) {
            Files.createDirectories(out);
            for (Definition d : definitions) {
                Path file = out.resolve(d.fileName());
                Files.writeString(file, d.text(), StandardCharsets.UTF_8);
                info.printf("Wrote %s%n", file);
            }
        } else {
            stdout.print(definitions.size() == 1 ? definitions.get(0).text() : combined(definitions));
            stdout.flush();
        }
        for (String note : notes) {
            info.printf("%nNote: %s%n", note);
        }
        info.printf("%nNext steps (with the definitions saved as %s):%n",
                String.join(", ", definitions.stream().map(Definition::fileName).toList()));
        for (String step : renderer.nextSteps(deployment)) {
            info.printf("  %s%n", step);
        }
        info.flush();
        return ExitCode.OK.code;
    }

    /** Several JSON documents as one object keyed by their role, e.g. jobDefinition and submitJob. */
    private static String combined(List<Definition> definitions) {
        ObjectNode all = Json.MAPPER.createObjectNode();
        for (Definition d : definitions) {
            if (d.yaml()) {
                throw new JobException("cannot print several YAML definitions as one document: use --out DIR");
            }
            all.set(d.key(), d.content());
        }
        return new String(Json.write(all), StandardCharsets.UTF_8) + System.lineSeparator();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
