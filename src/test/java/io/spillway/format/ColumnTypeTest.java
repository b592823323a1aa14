package io.spillway.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.spi.TypeDialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColumnTypeTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            BOOLEAN                          | BOOLEAN
            TINYINT                          | INT8
            UTINYINT                         | UINT8
            SMALLINT                         | INT16
            INTEGER                          | INT32
            UINTEGER                         | UINT32
            BIGINT                           | INT64
            UBIGINT                          | UINT64
            HUGEINT                          | STRING
            FLOAT                            | FLOAT
            DOUBLE                           | DOUBLE
            DECIMAL(18,3)                    | DECIMAL(18,3)
            VARCHAR                          | STRING
            BLOB                             | BINARY
            DATE                             | DATE
            TIME                             | TIME
            TIME WITH TIME ZONE              | TIME_UTC
            TIMESTAMP                        | TIMESTAMP
            TIMESTAMP_NS                     | TIMESTAMP
            TIMESTAMP WITH TIME ZONE         | TIMESTAMP_UTC
            UUID                             | UUID
            INTERVAL                         | STRING
            JSON                             | JSON
            INTEGER[]                        | INT32[]
            VARCHAR[][]                      | STRING[][]
            DOUBLE[3]                        | DOUBLE[]
            STRUCT(a INTEGER, b VARCHAR)     | STRING
            STRUCT(a INTEGER)[]              | STRING[]
            MAP(VARCHAR, INTEGER)            | STRING
            ENUM('a', 'b')                   | STRING
            int2                             | INT16
            int4                             | INT32
            int8                             | INT64
            float4                           | FLOAT
            float8                           | DOUBLE
            double precision                 | DOUBLE
            numeric(12,2)                    | DECIMAL(12,2)
            numeric(12)                      | DECIMAL(12,0)
            numeric                          | STRING
            numeric(50,10)                   | STRING
            character varying(20)            | STRING
            bpchar                           | STRING
            bytea                            | BINARY
            timestamp without time zone      | TIMESTAMP
            timestamp(3) without time zone   | TIMESTAMP
            timestamptz                      | TIMESTAMP_UTC
            timestamp(3) with time zone      | TIMESTAMP_UTC
            time with time zone              | TIME_UTC
            timetz                           | TIME_UTC
            jsonb                            | JSON
            _int4                            | INT32[]
            _numeric                         | STRING[]
            integer[]                        | INT32[]
            ARRAY                            | STRING[]
            money                            | STRING
            inet                             | STRING
            tinyint(1)                       | INT8
            tinyint(3) unsigned              | UINT8
            int(10) unsigned zerofill        | UINT32
            bigint unsigned                  | UINT64
            bigint(20) unsigned              | UINT64
            mediumint                        | INT32
            decimal(10,0)                    | DECIMAL(10,0)
            float(53)                        | DOUBLE
            datetime(6)                      | TIMESTAMP
            longblob                         | BINARY
            varbinary(16)                    | BINARY
            year                             | INT16
            set('a','b')                     | STRING
            TEXT                             | STRING
            ''                               | STRING
            """)
    void readsTheTypeNamesOfEverySource(String sourceType, String expected) {
        assertThat(ColumnType.parse(sourceType)).hasToString(expected);
    }

    @ParameterizedTest(name = "SQLite {0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            INTEGER              | INT64
            INT                  | INT64
            TINYINT              | INT64
            UNSIGNED BIG INT     | INT64
            VARCHAR(255)         | STRING
            NCHAR(55)            | STRING
            TEXT                 | STRING
            CLOB                 | STRING
            REAL                 | DOUBLE
            FLOAT                | DOUBLE
            DOUBLE PRECISION     | DOUBLE
            BLOB                 | BINARY
            BOOLEAN              | BOOLEAN
            NUMERIC              | STRING
            DECIMAL(10,5)        | STRING
            DATETIME             | STRING
            ''                   | STRING
            """)
    void readsSqliteDeclaredTypesByTheirAffinity(String declared, String expected) {
        assertThat(ColumnType.parse(declared, TypeDialect.SQLITE)).hasToString(expected);
    }
}
