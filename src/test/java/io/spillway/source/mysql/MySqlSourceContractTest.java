package io.spillway.source.mysql;

import io.spillway.source.SourceContract;
import java.util.List;

class MySqlSourceContractTest extends SourceContract {
    private MyTestDb db;

    @Override
    protected String prepare(List<String> statements) throws Exception {
        db = new MyTestDb("contract");
        for (String sql : statements) {
            db.sql(sql);
        }
        db.sql("ANALYZE TABLE items, vacant");
        return db.uri();
    }

    @Override
    protected String insertItems(int rows) {
        return "INSERT INTO items (id, name, amount) SELECT seq, CONCAT('item ', seq), seq * 0.5 FROM seq_1_to_" + rows;
    }

    @Override
    protected String missingUri() {
        return "mysql://root@127.0.0.1:3306/no_such_database_spillway";
    }

    @Override
    protected void cleanUp() throws Exception {
        db.close();
    }
}
