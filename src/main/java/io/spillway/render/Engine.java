package io.spillway.render;

import io.spillway.spi.JobException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The engines {@code spillway render} writes definitions for. */
public enum Engine {
    CLOUD_RUN("cloud-run", new CloudRunJob()),
    KUBERNETES("kubernetes", new KubernetesJob()),
    AWS_BATCH("aws-batch", new AwsBatchJob()),
    WORKFLOWS("workflows", new CloudWorkflow());

    private final String label;
    private final Renderer renderer;

    Engine(String label, Renderer renderer) {
        this.label = label;
        this.renderer = renderer;
    }

    public Renderer renderer() {
        return renderer;
    }

    public static Engine parse(String text) {
        return Arrays.stream(values()).filter(e -> e.label.equalsIgnoreCase(text.trim())).findFirst()
                .orElseThrow(() -> new JobException("unknown engine '" + text + "': use one of "
                        + Arrays.stream(values()).map(Engine::toString).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return label;
    }
}
