package dev.quorum.stack.junit;

import dev.quorum.stack.StackMode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SharedStackTest {

    private final String before = System.getProperty(StackMode.PROPERTY);

    @AfterEach
    void restore_the_property() {
        if (before == null) {
            System.clearProperty(StackMode.PROPERTY);
        } else {
            System.setProperty(StackMode.PROPERTY, before);
        }
    }

    @Test
    void the_system_property_forces_embedded_servers() {
        System.setProperty(StackMode.PROPERTY, "embedded");

        assertThat(SharedStack.effectiveMode()).isEqualTo(StackMode.EMBEDDED);
    }

    @Test
    void the_system_property_forces_testcontainers() {
        System.setProperty(StackMode.PROPERTY, "testcontainers");

        assertThat(SharedStack.effectiveMode()).isEqualTo(StackMode.TESTCONTAINERS);
    }

    @Test
    void auto_never_stays_auto() {
        System.setProperty(StackMode.PROPERTY, "auto");

        assertThat(SharedStack.effectiveMode()).isIn(StackMode.EMBEDDED, StackMode.TESTCONTAINERS);
    }
}
