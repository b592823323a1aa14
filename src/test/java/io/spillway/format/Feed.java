package io.spillway.format;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hands text to a shard writer as a native exporter would: a finished file, in the writer's compression. */
final class Feed {
    private Feed() {}

    /** {@code text} as an adopted file: whole when it fits the writer's limit, split on record boundaries when not. */
    static void text(ShardWriter w, String text) throws IOException {
        Path file = w.localFiles().orElseThrow().scratchFile();
        try (OutputStream out = Codecs.wrap(w.compression(), Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        long lines = text.chars().filter(c -> c == '\n').count();
        w.localFiles().orElseThrow().adopt(file, w.format() == io.spillway.spi.Format.CSV ? lines - 1 : lines);
    }
}
