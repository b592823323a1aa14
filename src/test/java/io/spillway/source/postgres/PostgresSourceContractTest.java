package io.spillway.source.postgres;

import io.spillway.source.SourceContract;
import java.util.List;

class PostgresSourceContractTest extends SourceContract {
    private PgTestDb db;

    @Override
    protected String prepare(List<String> statements) throws Exception {
        db = new PgTestDb("contract");
        db.sql("SET search_path TO " + PostgresSource.ident(db.schema));
        for (String sql : statements) {
            db.sql(sql);
        }
        db.sql("ANALYZE");
        return db.uri();
    }

    @Override
    protected String missingUri() {
        return "postgresql://postgres@127.0.0.1:5432/no_such_database_spillway";
    }

    @Override
    protected void cleanUp() throws Exception {
        db.close();
    }
}
