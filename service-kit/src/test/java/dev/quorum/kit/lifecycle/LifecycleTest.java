package dev.quorum.kit.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LifecycleTest {
  private final List<String> events = new CopyOnWriteArrayList<>();

  /** A service that records its start and close, and fails either when told to. */
  private final class Recorded implements Service {
    private final String name;
    private final boolean failStart;
    private final boolean failClose;

    Recorded(String name, boolean failStart, boolean failClose) {
      this.name = name;
      this.failStart = failStart;
      this.failClose = failClose;
    }

    @Override
    public Recorded start() {
      events.add("start " + name);
      if (failStart) throw new IllegalStateException(name + " cannot start");
      return this;
    }

    @Override
    public void close() {
      events.add("close " + name);
      if (failClose) throw new IllegalStateException(name + " cannot close");
    }
  }

  private Recorded service(String name) {
    return new Recorded(name, false, false);
  }

  @Test
  void components_close_in_reverse_order_of_start_and_only_once() throws Exception {
    // Given
    Lifecycle lifecycle = new Lifecycle("svc");
    lifecycle.start("db", service("db"));
    lifecycle.add("pool", () -> events.add("close pool"));
    lifecycle.start("http", service("http"));

    // When
    lifecycle.close();
    lifecycle.close();
    lifecycle.awaitClosed();

    // Then
    assertThat(events).containsExactly("start db", "start http", "close http", "close pool", "close db");
    assertThat(lifecycle.isClosed()).isTrue();
  }

  @Test
  void a_component_that_fails_to_close_does_not_keep_the_others_open() throws Exception {
    // Given
    Lifecycle lifecycle = new Lifecycle("svc");
    lifecycle.start("db", service("db"));
    lifecycle.start("kafka", new Recorded("kafka", false, true));
    lifecycle.start("http", service("http"));

    // When
    lifecycle.close();

    // Then
    assertThat(events).endsWith("close http", "close kafka", "close db");
  }

  @Test
  void a_service_that_fails_to_start_is_closed_and_the_failure_rethrown() throws Exception {
    // Given
    Lifecycle lifecycle = new Lifecycle("svc");
    lifecycle.start("db", service("db"));

    // When
    assertThatThrownBy(() -> lifecycle.start("kafka", new Recorded("kafka", true, false)))
        .isInstanceOf(IllegalStateException.class).hasMessage("kafka cannot start");
    lifecycle.close();

    // Then
    assertThat(events).containsExactly("start db", "start kafka", "close kafka", "close db");
  }

  @Test
  void nothing_is_added_or_started_after_close() throws Exception {
    // Given
    Lifecycle lifecycle = new Lifecycle("svc");
    lifecycle.close();

    // When / Then
    assertThatThrownBy(() -> lifecycle.add("late", () -> events.add("close late"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> lifecycle.start("later", service("later"))).isInstanceOf(IllegalStateException.class);
    assertThat(events).containsExactly("close late");
  }

  @Test
  void a_lifecycle_closed_by_hand_leaves_no_shutdown_hook_behind() {
    // Given
    Lifecycle lifecycle = new Lifecycle("svc").closeOnShutdown();
    lifecycle.add("pool", () -> events.add("close pool"));

    // When
    lifecycle.close();

    // Then: the hook is gone, so the JVM's exit will not close anything a second time
    assertThat(events).containsExactly("close pool");
    assertThat(lifecycle.shutdownHook()).isNotNull();
    assertThat(Runtime.getRuntime().removeShutdownHook(lifecycle.shutdownHook())).isFalse();
  }
}
