package dev.quorum.stack.dsql;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DsqlConflictInjectorTest {

    // never connected to: arguments are checked before any SQL runs
    private final PGSimpleDataSource unreachable = new PGSimpleDataSource();

    @Test
    void a_rate_outside_zero_to_one_is_rejected() {
        assertThatThrownBy(() -> DsqlConflictInjector.install(unreachable, 1.5, 1L, "t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1.5");
        assertThatThrownBy(() -> DsqlConflictInjector.installForDdl(unreachable, Double.NaN, 1L))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_table_name_that_is_not_a_plain_identifier_is_rejected() {
        assertThatThrownBy(() -> DsqlConflictInjector.install(unreachable, 0.3, 1L, "t; DROP TABLE x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DROP TABLE");
    }
}
