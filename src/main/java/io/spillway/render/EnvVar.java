package io.spillway.render;

import java.util.Objects;

/**
 * One environment variable of a rendered task: a plain value, or, when {@code secret}, the name
 * of the secret that holds the value, so that the value itself never appears in a definition.
 */
public record EnvVar(String name, String value, boolean secret) {
    public EnvVar {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(value, "value is null");
    }

    public static EnvVar plain(String name, String value) {
        return new EnvVar(name, value, false);
    }

    public static EnvVar fromSecret(String name, String secretName) {
        return new EnvVar(name, secretName, true);
    }
}
