package io.spillway.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.models.V1Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes manifest against the published {@code batch/v1} schema, through the official
 * Kubernetes Java client's models, which are generated from it: an unknown field anywhere in the
 * Job (as {@code kubectl create}'s strict field validation reports) or a missing required one fails.
 * The client's 24.0.0 models are those of Kubernetes 1.32.
 */
class KubernetesSchemaTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    static Path dir;

    private static JsonNode rendered(String source) throws Exception {
        List<String> args = new ArrayList<>(EngineTool.SOURCES.get(source));
        args.addAll(List.of("--tasks", "12", "--parallelism", "4", "--max-retries", "3", "--task-timeout", "2h",
                "--memory", "4Gi", "--cpu", "1500m", "--service-account", "spillway"));
        Path out = EngineTool.render(dir.resolve(source), "kubernetes", args);
        return YAML.readTree(Files.readString(out.resolve("kubernetes-job.yaml")));
    }

    /** What the client's models say of a document: nothing when it fits the schema. */
    private static void validate(JsonNode job) throws Exception {
        V1Job.validateJsonElement(JsonParser.parseString(job.toString()));
    }

    @Test
    void theJobOfEverySourceFitsTheBatchV1Schema() throws Exception {
        for (String source : EngineTool.SOURCES.keySet()) {
            JsonNode job = rendered(source);
            assertThat(job.get("apiVersion").asText()).isEqualTo("batch/v1");
            assertThat(job.get("kind").asText()).isEqualTo("Job");
            validate(job);
        }
    }

    @Test
    void misspeltOrMissingFieldsFail() throws Exception {
        assertThatThrownBy(() -> validate(withRenamed(rendered("bigquery"), "/spec", "backoffLimitPerIndex", "backoffLimitPerIdx")))
                .hasMessageContaining("`backoffLimitPerIdx`").hasMessageContaining("V1JobSpec");
        assertThatThrownBy(() -> validate(withRenamed(rendered("bigquery"), "/spec/template/spec/containers/0/securityContext",
                "readOnlyRootFilesystem", "readOnlyRootFileSystem")))
                .hasMessageContaining("`readOnlyRootFileSystem`").hasMessageContaining("V1SecurityContext");
        assertThatThrownBy(() -> validate(withRenamed(rendered("bigquery"), "", "spec", "specs")))
                .hasMessageContaining("`specs`").hasMessageContaining("V1Job");
        JsonNode nameless = rendered("bigquery");
        ((ObjectNode) nameless.at("/spec/template/spec/containers/0")).remove("name");
        assertThatThrownBy(() -> validate(nameless)).hasMessageContaining("required field `name`").hasMessageContaining("\"image\":");
    }

    private static JsonNode withRenamed(JsonNode doc, String pointer, String from, String to) {
        ObjectNode parent = (ObjectNode) (pointer.isEmpty() ? doc : doc.at(pointer));
        assertThat(parent.has(from)).as(pointer + " has " + from).isTrue();
        parent.set(to, parent.remove(from));
        return doc;
    }
}
