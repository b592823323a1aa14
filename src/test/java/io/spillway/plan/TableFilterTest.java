package io.spillway.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.spi.JobException;
import io.spillway.spi.TableInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableFilterTest {
    static final List<TableInfo> TABLES = List.of(t("dummy_01"), t("dummy_02"), t("dummy_10"), t("orders"), t("a.b*c"));

    static TableInfo t(String name) {
        return new TableInfo(name, 1, 1, List.of());
    }

    static List<String> names(List<String> in, List<String> out) {
        return new TableFilter(in, out).apply(TABLES, "duckdb:x").stream().map(TableInfo::name).toList();
    }

    @Test
    void includeAndExcludeGlobs() {
        assertThat(names(List.of(), List.of())).hasSize(5);
        assertThat(names(List.of("dummy_*"), List.of())).containsExactly("dummy_01", "dummy_02", "dummy_10");
        assertThat(names(List.of("dummy_0?"), List.of("*2"))).containsExactly("dummy_01");
        assertThat(names(List.of("dummy_[01]1", "orders"), List.of())).containsExactly("dummy_01", "orders");
        assertThat(names(List.of("a.b*"), List.of())).containsExactly("a.b*c");
        assertThat(names(List.of("a?b*c"), List.of())).containsExactly("a.b*c");
    }

    @Test
    void anExcludeThatLeavesNoTableIsAnErrorLikeAnIncludeThatMatchesNone() {
        assertThatThrownBy(() -> names(List.of(), List.of("*"))).isInstanceOf(JobException.class)
                .hasMessageContaining("--exclude '*' leaves no table of duckdb:x to export (tables: dummy_01");
        assertThatThrownBy(() -> names(List.of("dummy_*"), List.of("*1*", "*2"))).isInstanceOf(JobException.class)
                .hasMessageContaining("--exclude '*1*,*2' leaves no table of duckdb:x to export (included: dummy_01,");
        assertThat(new TableFilter(List.of(), List.of("*")).apply(List.of(), "duckdb:x")).isEmpty();
    }

    @Test
    void anIncludeThatMatchesNothingIsAnErrorNamingIt() {
        assertThatThrownBy(() -> names(List.of("dummy_*", "nope*"), List.of()))
                .isInstanceOf(JobException.class)
                .hasMessageContaining("--include 'nope*' matches no table in duckdb:x")
                .hasMessageContaining("dummy_01");
    }
}
