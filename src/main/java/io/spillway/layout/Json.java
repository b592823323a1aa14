package io.spillway.layout;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.spillway.spi.ExportException;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON mapper for every stored value: plans, unit records, manifests, task status. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private Json() {}

    /**
     * Builds and caches Jackson's serializer and deserializer of each type now, as its first write or read
     * would: by reflection, on code the JIT has not compiled yet (a few milliseconds a type). Run on a
     * thread of its own while another starts up, it takes that off the path of the first plan and publish.
     */
    public static void prepare(Class<?>... types) {
        for (Class<?> type : types) {
            MAPPER.writerFor(type);
            MAPPER.readerFor(type);
        }
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type, String what) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new ExportException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
