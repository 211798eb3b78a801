package dev.quorum.warroom.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quorum.kit.config.ConfigException;
import dev.quorum.kit.http.TokenHasher;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WarRoomConfigTest {
  private static Map<String, String> minimal() {
    Map<String, String> raw = new HashMap<>();
    raw.put("kafka.bootstrap.servers", "127.0.0.1:9092");
    raw.put("warroom.gateway.url", "http://gateway:8080");
    raw.put("warroom.query.url", "http://projection:8083");
    raw.put("warroom.clients", "alice:" + TokenHasher.hash("secret-token", null) + ";actor=user:alice;scopes=publish+read");
    return raw;
  }

  @Test
  void a_minimal_configuration_takes_the_defaults_and_masks_the_responders() {
    WarRoomConfig config = WarRoomConfig.parse(minimal());

    assertThat(config.port()).isEqualTo(8084);
    assertThat(config.opsPort()).as("ops endpoints on the main port unless asked").isEqualTo(-1);
    assertThat(config.gatewayUrl()).isEqualTo(URI.create("http://gateway:8080"));
    assertThat(config.secureCookies()).isFalse();
    assertThat(config.auth().clientIds()).containsExactly("alice");
    assertThat(config.toString()).doesNotContain(TokenHasher.hash("secret-token", null));
  }

  @Test
  void the_ops_endpoints_can_have_a_port_of_their_own() {
    Map<String, String> raw = minimal();
    raw.put("warroom.ops.port", "8085");
    assertThat(WarRoomConfig.parse(raw).opsPort()).isEqualTo(8085);
    raw.put("warroom.ops.port", "-2");
    assertThatThrownBy(() -> WarRoomConfig.parse(raw)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("warroom.ops.port");
  }

  @Test
  void a_missing_service_url_an_unknown_key_and_a_bad_client_list_are_named() {
    Map<String, String> raw = minimal();
    raw.remove("warroom.query.url");
    raw.put("warroom.sesion.idle", "1h");
    assertThatThrownBy(() -> WarRoomConfig.parse(raw)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("warroom.query.url").hasMessageContaining("warroom.sesion.idle");

    Map<String, String> badClients = minimal();
    badClients.put("warroom.clients", "alice-without-a-hash");
    assertThatThrownBy(() -> WarRoomConfig.parse(badClients)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("warroom.clients");
  }
}
