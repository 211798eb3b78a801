package dev.quorum.stack;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StackModeTest {

    @Test
    void an_absent_or_blank_property_means_auto() {
        assertThat(StackMode.parse(null)).isEqualTo(StackMode.AUTO);
        assertThat(StackMode.parse(" ")).isEqualTo(StackMode.AUTO);
    }

    @Test
    void the_three_values_are_read_in_any_case() {
        assertThat(StackMode.parse("Embedded")).isEqualTo(StackMode.EMBEDDED);
        assertThat(StackMode.parse("TESTCONTAINERS")).isEqualTo(StackMode.TESTCONTAINERS);
        assertThat(StackMode.parse(" auto ")).isEqualTo(StackMode.AUTO);
    }

    @Test
    void an_unknown_value_is_rejected_naming_the_property() {
        assertThatThrownBy(() -> StackMode.parse("docker"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quorum.stack").hasMessageContaining("docker");
    }

    @Test
    void a_free_port_is_on_loopback_and_not_zero() throws Exception {
        int port = Loopback.freePort();
        assertThat(port).isPositive();
        try (var socket = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName(Loopback.HOST))) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
