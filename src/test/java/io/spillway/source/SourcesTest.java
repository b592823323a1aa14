package io.spillway.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.spi.JobException;
import io.spillway.spi.Source;
import io.spillway.spi.SourceFactory;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Sources are found by scheme through their factories, and each names the secrets its URIs hold. */
class SourcesTest {

    @ParameterizedTest
    @CsvSource({"duckdb:/tmp/x.duckdb, DuckDbSourceFactory", "postgresql://h/db, PostgresSourceFactory",
            "jdbc:postgresql://h/db, PostgresSourceFactory", "postgres://h/db, PostgresSourceFactory",
            "mysql://h/db, MySqlSourceFactory", "MariaDB://h/db, MySqlSourceFactory", "sqlite:x.db, SqliteSourceFactory",
            "bigquery://my-project/ds, BigQuerySourceFactory"})
    void everySchemeFindsItsFactory(String uri, String factory) {
        assertThat(Sources.factory(uri)).get().extracting(f -> f.getClass().getSimpleName()).isEqualTo(factory);
    }

    @Test
    void anUnknownSchemeNamesEveryKindAndHidesThePassword() {
        assertThatThrownBy(() -> Sources.open("oracle://scott:tiger@db/x")).isInstanceOf(JobException.class)
                .hasMessageStartingWith("unknown source 'oracle://scott:***@db/x': use ")
                .hasMessageContaining("duckdb:PATH, postgresql://..., mysql://..., mariadb://..., sqlite:PATH")
                .hasMessageContaining("bigquery://PROJECT/DATASET").hasMessageNotContaining("tiger");
    }

    @Test
    void redactionMasksTheOptionsASourceNamesSecretEvenWhenTheyDoNotLookSecret() {
        String uri = "secretive://host/db?dsn=opaque-key&mode=fast";
        assertThat(Sources.redact(uri)).isEqualTo("secretive://host/db?dsn=***&mode=fast");
        assertThat(Sources.hasSecret(uri)).isTrue();
        assertThat(Sources.redact("postgresql://u:pw@h/db?sslpassword=k&ssl=true"))
                .isEqualTo("postgresql://u:***@h/db?sslpassword=***&ssl=true");
        assertThat(Sources.hasSecret("secretive://host/db?mode=fast")).isFalse();
    }

    @Test
    void aFactoryOnTheClassPathIsASource() {
        assertThatThrownBy(() -> Sources.open("secretive://host/db?dsn=opaque-key"))
                .hasMessage("opened secretive://host/db?dsn=***");
    }

    /** A source kind known only to the tests: its {@code dsn} option is a secret no pattern would guess. */
    public static final class SecretiveSourceFactory implements SourceFactory {
        @Override
        public Set<String> schemes() {
            return Set.of("secretive");
        }

        @Override
        public String usage() {
            return "secretive://... (tests)";
        }

        @Override
        public Set<String> secretOptions() {
            return Set.of("dsn");
        }

        @Override
        public Source open(String uri, Map<String, String> env) {
            throw new JobException("opened " + Sources.redact(uri));
        }
    }
}
