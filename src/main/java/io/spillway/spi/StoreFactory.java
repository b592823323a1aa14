package io.spillway.spi;

import java.util.Map;
import java.util.Set;

/**
 * Makes the stores of one kind. Found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.spillway.spi.StoreFactory}.
 */
public interface StoreFactory {

    /** The URI schemes this kind answers to, lower case ({@code s3}); the empty scheme is a plain folder name. */
    Set<String> schemes();

    /** How a destination of this kind is written, for the message that lists every kind. */
    String usage();

    /** Opens the store named by {@code dest}; {@code env} gives endpoints, regions and credentials. */
    Store open(String dest, Map<String, String> env);
}
