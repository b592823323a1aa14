package io.spillway.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * One rendered document, to be saved as {@code fileName} and applied with the engine's tool.
 * Built as a Jackson tree, written as YAML or JSON by its file name: never by string templates,
 * so every value is quoted as its format needs.
 */
public record Definition(String key, String fileName, ObjectNode content) {
    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .disable(YAMLGenerator.Feature.SPLIT_LINES)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .build())
            .build();

    public Definition {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(fileName, "fileName is null");
        Objects.requireNonNull(content, "content is null");
    }

    public boolean yaml() {
        return fileName.endsWith(".yaml");
    }

    /** The document as text, ending in a newline. */
    public String text() {
        return write(content, yaml());
    }

    static String write(JsonNode node, boolean yaml) {
        try {
            String text = (yaml ? YAML : JSON).writeValueAsString(node);
            return text.endsWith("\n") ? text : text + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
