package io.spillway.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.source.jdbc.JdbcUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the password of a URI sits, whatever it holds, and that the redacted form never shows it. */
class UriPartsTest {
    /** '/', '@', ':', '?' and a %XX escape: every character that a regex over the text got wrong. */
    static final String RAW = "pw/Zq7@Xk:%41Vv?e";
    static final String PASSWORD = "pw/Zq7@Xk:AVv?e";

    @ParameterizedTest
    @ValueSource(strings = {"postgresql://root:RAW@db.example.com:5432/sales",
            "jdbc:postgresql://root:RAW@db.example.com:5432/sales?sslmode=require&ApplicationName=x",
            "mysql://root:RAW@db.example.com/sales", "mariadb://root:RAW@[::1]:3306/sales?useSsl=true"})
    void thePasswordInTheUserInfoIsParsedWholeAndNeverShown(String template) {
        String uri = template.replace("RAW", RAW);
        JdbcUrl url = JdbcUrl.parse(uri, 5432);
        assertThat(url.user()).isEqualTo("root");
        assertThat(url.password()).isEqualTo(PASSWORD);
        assertThat(url.database()).isEqualTo("sales");
        assertThat(url.host()).isIn("db.example.com", "[::1]");
        UriParts parts = UriParts.parse(uri);
        assertThat(parts.hasSecret()).isTrue();
        assertThat(parts.redacted()).contains("root:***@").doesNotContain("Zq7").doesNotContain("AVv")
                .doesNotContain("41Vv").isEqualTo(uri.replace(RAW, "***"));
        assertThat(parts.toString()).isEqualTo(parts.redacted());
        assertThat(url.toString()).doesNotContain("Zq7");
    }

    @Test
    void aPasswordGivenAsAnOptionIsParsedAndHidden() {
        String uri = "jdbc:postgresql://db:5432/sales?user=alice&password=" + RAW.replace("?", "") + "&sslmode=require";
        JdbcUrl url = JdbcUrl.parse(uri, 5432);
        assertThat(url.user()).isEqualTo("alice");
        assertThat(url.password()).isEqualTo(PASSWORD.replace("?", ""));
        assertThat(url.host()).isEqualTo("db");
        assertThat(UriParts.parse(uri).hasSecret()).isTrue();
        assertThat(UriParts.parse(uri).redacted())
                .isEqualTo("jdbc:postgresql://db:5432/sales?user=alice&password=***&sslmode=require");
    }

    @Test
    void aUriWithoutAPasswordIsShownAsItIs() {
        for (String uri : new String[] {"postgresql://alice@db:5432/sales?sslmode=require", "duckdb:/data/w.duckdb",
                "s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1", "bigquery://my-project/sales",
                "sqlite:/a/b@c.db"}) {
            assertThat(UriParts.parse(uri).hasSecret()).as(uri).isFalse();
            assertThat(UriParts.parse(uri).redacted()).isEqualTo(uri);
        }
    }

    @Test
    void credentialsInADestinationOrItsEndpointAreFoundAndHidden() {
        String dest = "s3://AKIA:" + RAW + "@bucket/x";
        assertThat(UriParts.parse(dest).hasSecret()).isTrue();
        assertThat(UriParts.parse(dest).redacted()).isEqualTo("s3://AKIA:***@bucket/x");
        String endpoint = "s3://bucket/x?endpoint=http://k:" + RAW.replace("?", "") + "@minio:9000&region=eu";
        assertThat(UriParts.parse(endpoint).hasSecret()).isTrue();
        assertThat(UriParts.parse(endpoint).redacted()).isEqualTo("s3://bucket/x?endpoint=http://k:***@minio:9000&region=eu");
    }

    @Test
    void aUserThatHoldsPartOfTheQueryIsHiddenToo() {
        // a raw '@' in an option value after a '?' that is not followed by options: the cut is wrong, nothing leaks
        String uri = "postgresql://db/sales?x@Zq7@host";
        assertThat(UriParts.parse(uri).redacted()).doesNotContain("Zq7");
    }
}
