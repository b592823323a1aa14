package io.spillway.render;

import java.util.List;

/** Turns a deployment into an engine's definitions, and says how to apply them. */
public interface Renderer {
    /** The definitions, in the order they are applied; fails with a {@code JobException} on what the engine refuses. */
    List<Definition> render(Deployment deployment);

    /** Shell commands that apply the definitions, as saved under their file names. */
    List<String> nextSteps(Deployment deployment);

    /** What the user should know about the rendered definitions: secrets to create, limits of the engine. */
    default List<String> notes(Deployment deployment) {
        return List.of();
    }
}
