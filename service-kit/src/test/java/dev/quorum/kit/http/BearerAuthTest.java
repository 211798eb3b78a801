package dev.quorum.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BearerAuthTest {

  @Test
  void entries_carry_source_actor_and_scopes_with_defaults() {
    BearerAuth auth = BearerAuth.parse("am:" + BearerAuth.hash("t1") + ";source=alertmanager/prod;actor=integration:am;scopes=publish,"
        + "ops:" + BearerAuth.hash("t2") + ";scopes=publish+act-on-behalf,"
        + "plain:" + BearerAuth.hash("t3"));

    Principal am = auth.principal("Bearer t1");
    Principal ops = auth.principal("bearer t2");
    Principal plain = auth.principal("Bearer t3");

    assertThat(am).isEqualTo(new Principal("am", "alertmanager/prod", "integration:am", false, java.util.Set.of("publish")));
    assertThat(ops.mayActOnBehalf()).isTrue();
    assertThat(plain.source()).isEqualTo("client/plain");
    assertThat(plain.scopes()).containsExactlyInAnyOrder("publish", "read");
    assertThat(auth.principal("Bearer t4")).isNull();
    assertThat(auth.principal("Basic dDE6")).isNull();
    assertThat(auth.principal(null)).isNull();
  }

  @Test
  void a_malformed_entry_is_refused_naming_the_client() {
    assertThatThrownBy(() -> BearerAuth.parse("am:not-hex")).hasMessageContaining("am");
    assertThatThrownBy(() -> BearerAuth.parse("am:abcd")).hasMessageContaining("SHA-256");
    assertThatThrownBy(() -> BearerAuth.parse("am:" + BearerAuth.hash("x") + ";colour=red")).hasMessageContaining("colour");
  }

  @Test
  void the_hash_is_sha256_hex() {
    assertThat(BearerAuth.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void a_client_configured_twice_is_refused() {
    assertThatThrownBy(() -> BearerAuth.parse("am:" + BearerAuth.hash("a") + ",am:" + BearerAuth.hash("b")))
        .hasMessageContaining("client am is configured twice");
  }

  @Test
  void with_a_pepper_only_peppered_hashes_match() {
    // Given
    BearerAuth auth = BearerAuth.parse("am:" + TokenHasher.hash("t1", "p3pper"), "p3pper");
    BearerAuth plain = BearerAuth.parse("am:" + TokenHasher.hash("t1", "p3pper"));

    // When / Then
    assertThat(auth.principal("Bearer t1")).isNotNull();
    assertThat(plain.principal("Bearer t1")).isNull();
    assertThat(auth.toString()).isEqualTo("BearerAuth[am]");
  }
}
