package io.spillway.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.spillway.layout.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class CloudLoggingEncoderTest {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger logger = context.getLogger("io.spillway.engine.TaskRunner");
    private final CloudLoggingEncoder encoder = new CloudLoggingEncoder();

    private JsonNode encode(LoggingEvent event) throws Exception {
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n");
        assertThat(line.strip()).doesNotContain("\n").as("one record, one line");
        return Json.MAPPER.readTree(line);
    }

    @Test
    void oneLineInCloudLoggingsStructuredFormat() throws Exception {
        LoggingEvent event = new LoggingEvent("fqcn", logger, Level.INFO, "Exported {}: {} rows\nand a second line",
                null, new Object[] {"orders", 42});
        event.setMDCPropertyMap(Map.of("execution", "spillway-x7k2p", "task", "3", "attempt", "1",
                "table", "orders", "unit", "orders (part 2 of 4)"));
        JsonNode json = encode(event);
        assertThat(json.get("severity").asText()).isEqualTo("INFO");
        assertThat(json.get("message").asText()).isEqualTo("Exported orders: 42 rows\nand a second line");
        assertThat(json.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        JsonNode labels = json.get("logging.googleapis.com/labels");
        assertThat(labels.get("execution").asText()).isEqualTo("spillway-x7k2p");
        assertThat(labels.get("task").asText()).isEqualTo("3");
        assertThat(labels.get("attempt").asText()).isEqualTo("1");
        assertThat(labels.get("table").asText()).isEqualTo("orders");
        assertThat(labels.get("unit").asText()).isEqualTo("orders (part 2 of 4)");
        assertThat(json.has("stack_trace")).isFalse();
    }

    @Test
    void levelsBecomeCloudLoggingSeveritiesAndExceptionsAStackTrace() throws Exception {
        assertThat(CloudLoggingEncoder.severity(Level.ERROR)).isEqualTo("ERROR");
        assertThat(CloudLoggingEncoder.severity(Level.WARN)).isEqualTo("WARNING");
        assertThat(CloudLoggingEncoder.severity(Level.DEBUG)).isEqualTo("DEBUG");
        assertThat(CloudLoggingEncoder.severity(Level.TRACE)).isEqualTo("DEBUG");
        LoggingEvent event = new LoggingEvent("fqcn", logger, Level.ERROR, "table orders: connection reset",
                new java.io.IOException("connection reset"), null);
        JsonNode json = encode(event);
        assertThat(json.get("severity").asText()).isEqualTo("ERROR");
        assertThat(json.get("stack_trace").asText()).startsWith("java.io.IOException: connection reset")
                .contains("\tat ");
        assertThat(json.has("logging.googleapis.com/labels")).as("no MDC, no labels").isFalse();
    }

    @Test
    void formatIsJsonUnderAnEngineOrWhenAskedFor() {
        assertThat(LogFormat.choose("auto", true)).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.choose("auto", false)).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.choose(null, false)).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.choose("JSON", false)).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.choose("text", true)).isEqualTo(LogFormat.TEXT);
        assertThatThrownBy(() -> LogFormat.choose("xml", false)).hasMessageContaining("use auto, text or json");
    }
}
