package dev.quorum.warroom.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quorum.kit.http.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SessionsTest {
  private static final Principal ALICE = new Principal("alice", "local/war-room", "user:alice", false, Set.of("read", "publish"));

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T08:00:00Z"));

  @Test
  void a_session_id_and_its_csrf_token_are_256_random_bits_each_and_never_repeat() {
    Sessions sessions = new Sessions(clock, Duration.ofHours(1), 1_000);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Sessions.Session session = sessions.open("token-" + i, ALICE);
      assertThat(Base64.getUrlDecoder().decode(session.id())).hasSize(32);
      assertThat(Base64.getUrlDecoder().decode(session.csrf())).hasSize(32);
      assertThat(seen.add(session.id())).isTrue();
      assertThat(seen.add(session.csrf())).isTrue();
    }
  }

  @Test
  void a_session_is_found_by_its_id_and_keeps_the_token_server_side() {
    Sessions sessions = new Sessions(clock, Duration.ofHours(1), 10);
    Sessions.Session session = sessions.open("the-token", ALICE);

    assertThat(sessions.find(session.id())).containsSame(session);
    assertThat(session.token()).isEqualTo("the-token");
    assertThat(session.toString()).doesNotContain("the-token", session.id(), session.csrf());
    assertThat(sessions.find("not-a-session")).isEmpty();
    assertThat(sessions.find(null)).isEmpty();
  }

  @Test
  void the_csrf_token_matches_only_itself() {
    Sessions.Session session = new Sessions(clock, Duration.ofHours(1), 10).open("t", ALICE);
    assertThat(session.csrfMatches(session.csrf())).isTrue();
    assertThat(session.csrfMatches(session.csrf() + "x")).isFalse();
    assertThat(session.csrfMatches("")).isFalse();
    assertThat(session.csrfMatches(null)).isFalse();
  }

  @Test
  void a_session_unused_for_the_idle_time_is_forgotten_and_use_keeps_it() {
    Sessions sessions = new Sessions(clock, Duration.ofMinutes(30), 10);
    Sessions.Session used = sessions.open("a", ALICE);
    Sessions.Session idle = sessions.open("b", ALICE);

    clock.advance(Duration.ofMinutes(20));
    assertThat(sessions.find(used.id())).isPresent();
    clock.advance(Duration.ofMinutes(20));

    assertThat(sessions.find(used.id())).isPresent();
    assertThat(sessions.find(idle.id())).isEmpty();
  }

  @Test
  void beyond_the_most_sessions_the_least_recently_used_one_ends() {
    Sessions sessions = new Sessions(clock, Duration.ofHours(1), 2);
    Sessions.Session first = sessions.open("a", ALICE);
    Sessions.Session second = sessions.open("b", ALICE);
    sessions.find(first.id());

    Sessions.Session third = sessions.open("c", ALICE);

    assertThat(sessions.size()).isEqualTo(2);
    assertThat(sessions.find(second.id())).isEmpty();
    assertThat(sessions.find(first.id())).isPresent();
    assertThat(sessions.find(third.id())).isPresent();
  }

  @Test
  void signing_out_ends_the_session() {
    Sessions sessions = new Sessions(clock, Duration.ofHours(1), 10);
    Sessions.Session session = sessions.open("a", ALICE);
    sessions.close(session.id());
    assertThat(sessions.find(session.id())).isEmpty();
  }

  @Test
  void the_cookie_is_http_only_same_site_strict_and_secure_over_tls() {
    SessionCookie plain = new SessionCookie(false);
    assertThat(plain.set("abc", false)).isEqualTo("quorum_session=abc; Path=/; HttpOnly; SameSite=Strict");
    assertThat(plain.set("abc", true)).isEqualTo("quorum_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure");
    assertThat(new SessionCookie(true).set("abc", false)).endsWith("; Secure");
    assertThat(plain.clear(false)).isEqualTo("quorum_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
  }

  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
