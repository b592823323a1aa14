package io.spillway.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives every option a default from the environment, {@code --max-file-size} from
 * {@code SPILLWAY_MAX_FILE_SIZE} and so on, for containers. The task identity options of
 * {@code spillway task} are left to {@code EngineEnvironment}, which knows each engine's variables.
 *
 * <p>For a drop-in replacement of the Cloud Run job Spillway grew out of, the variables of that job
 * come last: {@code PROJECT_ID} and {@code SOURCE_DATASET} mean {@code --source
 * bigquery://PROJECT_ID/SOURCE_DATASET}, and {@code DESTINATION_BUCKET} means {@code --dest
 * gs://DESTINATION_BUCKET}, unless the option or its SPILLWAY_ variable is given.
 */
final class EnvDefaults implements IDefaultValueProvider {
    private static final Set<String> TASK_IDENTITY = Set.of("--task-index", "--tasks", "--attempt", "--execution");

    private final Map<String, String> env;

    EnvDefaults(Map<String, String> env) {
        this.env = env;
    }

    static String variable(String longName) {
        return "SPILLWAY_" + longName.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
            return null;
        }
        if (option.command().name().equals("task") && TASK_IDENTITY.contains(option.longestName())) {
            return null;
        }
        String value = get(variable(option.longestName()));
        if (value == null && option.longestName().equals("--source")) {
            String project = get("PROJECT_ID");
            String dataset = get("SOURCE_DATASET");
            value = project == null || dataset == null ? null : "bigquery://" + project + "/" + dataset;
        } else if (value == null && option.longestName().equals("--dest")) {
            String bucket = get("DESTINATION_BUCKET");
            value = bucket == null || bucket.startsWith("gs://") ? bucket : "gs://" + bucket;
        }
        return value;
    }

    private String get(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }
}
