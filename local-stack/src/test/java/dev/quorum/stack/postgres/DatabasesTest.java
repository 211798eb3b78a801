package dev.quorum.stack.postgres;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DatabasesTest {

    @Test
    void a_class_name_becomes_a_lower_case_identifier_with_a_unique_suffix() {
        String first = Databases.safeName("WriterBatchIT");
        String second = Databases.safeName("WriterBatchIT");

        assertThat(first).matches("writerbatchit_\\d+");
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void anything_that_is_not_a_letter_digit_or_underscore_is_replaced_and_a_leading_digit_is_prefixed() {
        assertThat(Databases.safeName("1 Odd-Name$Inner")).matches("db_1_odd_name_inner_\\d+");
    }

    @Test
    void a_long_name_is_cut_to_postgresql_s_63_characters() {
        assertThat(Databases.safeName("x".repeat(200))).hasSizeLessThanOrEqualTo(63).matches("x+_\\d+");
    }
}
