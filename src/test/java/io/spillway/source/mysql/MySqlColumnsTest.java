package io.spillway.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.format.Values;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MySqlColumnsTest {
    /** The CSV shortcut writes exactly what parsing into objects and writing them with {@link Values} does. */
    @ParameterizedTest
    @ValueSource(strings = {"2024-01-31 08:30:00", "2024-01-31 08:30:00.5", "2024-01-31 08:30:00.123456",
            "2024-02-29 23:59:59.000001", "0999-12-31 00:00:00.12", "1000-01-01 00:00:00", "9999-12-31 23:59:59.999999",
            "0000-00-00 00:00:00", "2023-02-29 00:00:00", "2024-00-10 00:00:00", "2024-01-31", "garbage", ""})
    void dateTimeTextIsWhatTheObjectPathWrites(String server) {
        Object parsed = MySqlColumns.dateTime(server);
        assertThat(MySqlColumns.dateTimeText(server, false)).isEqualTo(Values.text(parsed));
        Object instant = parsed instanceof LocalDateTime l ? l.toInstant(ZoneOffset.UTC) : parsed;
        assertThat(MySqlColumns.dateTimeText(server, true)).isEqualTo(Values.text(instant));
    }
}
