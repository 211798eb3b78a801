package dev.quorum.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.quorum.ingest.config.GatewayConfig;
import dev.quorum.kit.config.ConfigKey;
import dev.quorum.kit.config.ConfigSources;
import dev.quorum.projection.config.ProjectionConfig;
import dev.quorum.store.jdbc.Dialect;
import dev.quorum.warroom.config.WarRoomConfig;
import dev.quorum.writer.config.WriterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * Keeps the deployment files (docker-compose.yml, k8s/*.yaml, Dockerfile) from drifting away from
 * the code: every {@code QUORUM_*} variable they name is a declared key of the component that gets
 * it (or a pass-through of a real Kafka property), and each component's environment, as the files
 * set it, parses into a valid configuration. The files are read as text; no Docker or cluster.
 */
class DeploymentConfigTest {
  private static final Path ROOT = repositoryRoot();
  private static final Pattern VARIABLE = Pattern.compile("(?<![A-Za-z0-9_])QUORUM_[A-Z0-9_]+");
  /** {@code QUORUM_X: value} in a compose environment or a ConfigMap's data. */
  private static final Pattern MAP_ENTRY = Pattern.compile("^\\s+(QUORUM_[A-Z0-9_]+):\\s*(.*)$");
  /** {@code - name: QUORUM_X} in a container's env, followed by {@code value:} or {@code valueFrom:}. */
  private static final Pattern LIST_ENTRY = Pattern.compile("^\\s*- name:\\s*(QUORUM_[A-Z0-9_]+)\\s*$");
  private static final Pattern LIST_VALUE = Pattern.compile("^\\s+value:\\s*(.*)$");
  /** What the tests put where a value comes from a Secret or the downward API. */
  private static final Map<String, String> STAND_INS = Map.of(
      "QUORUM_GATEWAY_CLIENTS", "ci:" + "0".repeat(64) + ";scopes=publish",
      "QUORUM_GATEWAY_CLIENTS_PEPPER", "pepper",
      "QUORUM_GATEWAY_SLACK_SIGNING_SECRET", "signing-secret",
      "QUORUM_PROJECTION_HTTP_CLIENTS", "ci:" + "0".repeat(64) + ";scopes=read",
      "QUORUM_WARROOM_CLIENTS", "ci:" + "0".repeat(64) + ";scopes=publish+read",
      "QUORUM_WRITER_INSTANCE_ID", "quorum-writer-0");

  enum Component {
    GATEWAY("gateway", 8080, 8090, GatewayConfig.KEYS, GatewayConfig.PASS_THROUGH, GatewayConfig::parse),
    WRITER("writer", 8081, 8081, WriterConfig.KEYS, WriterConfig.PASS_THROUGH_PREFIXES, WriterConfig::parse),
    PROJECTION("projection", 8083, 8083, ProjectionConfig.KEYS, List.of(ProjectionConfig.STREAMS_PREFIX), ProjectionConfig::parse),
    WAR_ROOM("war-room", 8084, 8085, WarRoomConfig.KEYS, WarRoomConfig.PASS_THROUGH, WarRoomConfig::parse);

    final String id;
    final int port;
    /** Where /metrics, /healthz and /readyz are: the gateway keeps them off its public port. */
    final int opsPort;
    final Map<String, String> keyByVariable = new LinkedHashMap<>();
    final Map<String, String> prefixByVariablePrefix = new LinkedHashMap<>();
    final Function<Map<String, String>, Object> parser;

    Component(String name, int port, int opsPort, Collection<ConfigKey<?>> keys, Collection<String> passThrough,
        Function<Map<String, String>, Object> parser) {
      this.id = name;
      this.port = port;
      this.opsPort = opsPort;
      this.parser = parser;
      for (ConfigKey<?> key : keys) keyByVariable.put(key.environmentVariable(), key.name());
      // as ConfigSources.merge reads them: QUORUM_KAFKA_CLIENT_SECURITY_PROTOCOL is kafka.client.security.protocol
      for (String prefix : passThrough) prefixByVariablePrefix.put("QUORUM_" + prefix.toUpperCase(Locale.ROOT).replace('.', '_'), prefix);
    }

    /** The key the variable sets for this component, or null when the component does not read it. */
    String key(String variable) {
      String key = keyByVariable.get(variable);
      if (key != null) return key;
      for (Map.Entry<String, String> prefix : prefixByVariablePrefix.entrySet()) {
        if (variable.startsWith(prefix.getKey()) && variable.length() > prefix.getKey().length()) {
          String property = variable.substring(prefix.getKey().length()).toLowerCase(Locale.ROOT).replace('_', '.');
          return isKafkaProperty(property) ? prefix.getValue() + property : null;
        }
      }
      return null;
    }

    Object parse(Map<String, String> environment) {
      Map<String, String> raw = new LinkedHashMap<>();
      environment.forEach((variable, value) -> {
        String key = key(variable);
        if (key == null) throw new IllegalArgumentException(variable + " is not a key of the " + id);
        raw.put(key, value);
      });
      return parser.apply(raw);
    }

    static Component named(String name) {
      return Stream.of(values()).filter(c -> c.id.equals(name)).findFirst().orElse(null);
    }
  }

  @Test
  void everyVariableNamedAnywhereIsADeclaredKey() {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("docker-compose.yml"), ROOT.resolve("Dockerfile")));
    files.addAll(k8sFiles());
    Set<String> unknown = new TreeSet<>();
    int seen = 0;
    for (Path file : files) {
      Matcher m = VARIABLE.matcher(read(file));
      while (m.find()) {
        seen++;
        String variable = m.group();
        boolean known = variable.equals(ConfigSources.CONFIG_FILE_VARIABLE)
            || Stream.of(Component.values()).anyMatch(c -> c.key(variable) != null);
        if (!known) unknown.add(ROOT.relativize(file) + ": " + variable);
      }
    }
    assertThat(seen).as("QUORUM_* variables found").isGreaterThan(30);
    assertThat(unknown).as("variables that name no configuration key (comments included)").isEmpty();
  }

  @Test
  void composeGivesEachServiceAValidConfigurationOfItsOwnKeys() {
    Map<String, String> services = composeServices(read(ROOT.resolve("docker-compose.yml")));
    assertThat(services).containsKeys("kafka", "kafka-init", "postgres", "gateway", "writer", "projection");
    for (Map.Entry<String, String> service : services.entrySet()) {
      Component component = Component.named(service.getKey());
      Map<String, String> environment = environment(service.getValue(), "docker-compose.yml " + service.getKey());
      if (component == null) {
        assertThat(environment).as(service.getKey() + " is no Quorum service").isEmpty();
        continue;
      }
      Object config = parse(component, environment, "docker-compose.yml " + service.getKey());
      assertThat(port(config)).as(service.getKey() + " port").isEqualTo(component.port);
      assertThat(service.getValue()).as(service.getKey() + " publishes its port")
          .contains("\"127.0.0.1:" + component.port + ":" + component.port + "\"")
          .contains("\"127.0.0.1:" + component.opsPort + ":" + component.opsPort + "\"")
          .contains("http://localhost:" + component.opsPort + "/readyz");
      if (component == Component.WRITER) {
        assertThat(((WriterConfig) config).database().dialect()).isEqualTo(Dialect.POSTGRESQL);
      }
    }
  }

  @Test
  void eachRegionOverlayGivesTheWriterAndTheProjectionAValidConfigurationWithBothDsqlEndpoints() {
    for (String region : List.of("a", "b")) {
      String other = region.equals("a") ? "B" : "A";
      String overlay = "k8s-regions/" + region + "/region.yaml";
      List<String> documents = List.of(read(ROOT.resolve(overlay)).split("\n---\n"));
      for (Component component : List.of(Component.WRITER, Component.PROJECTION)) {
        // the overlay's ConfigMaps that reach this component: the shared Kafka one and its own
        Map<String, String> patch = new LinkedHashMap<>();
        for (String document : documents) {
          if (document.contains("name: quorum-kafka\n") || document.contains("name: quorum-" + component.id + "\n")) {
            patch.putAll(environment(document, overlay));
          }
        }
        assertThat(patch).as(overlay + " for the " + component.id).containsKeys("QUORUM_KAFKA_BOOTSTRAP_SERVERS", "QUORUM_DB_DSQL_ENDPOINTS");
        Map<String, String> environment = new LinkedHashMap<>(environment(read(ROOT.resolve("k8s/config.yaml")), "k8s/config.yaml"));
        environment.putAll(environment(read(ROOT.resolve("k8s/" + component.id + ".yaml")), "k8s/" + component.id + ".yaml"));
        environment.putAll(patch);
        Object config = parse(component, environment, overlay + " over k8s/" + component.id + ".yaml");
        assertThat(environment.get("QUORUM_DB_DSQL_ENDPOINTS")).as(overlay).contains("your-cluster-" + region + ".").contains(",");
        if (config instanceof ProjectionConfig projection) {
          assertThat(projection.topics().mirrored()).as(overlay).containsExactly(other + ".quorum.events.committed.v1");
        }
      }
      assertThat(read(ROOT.resolve("k8s-regions/" + region + "/kustomization.yaml"))).contains("value: \"" + region.toUpperCase(Locale.ROOT) + "\"");
    }
  }

  @Test
  void k8sGivesEachWorkloadAValidDsqlModeConfigurationWithoutPasswords() {
    Map<String, String> shared = environment(read(ROOT.resolve("k8s/config.yaml")), "k8s/config.yaml");
    assertThat(shared).containsKey("QUORUM_KAFKA_BOOTSTRAP_SERVERS");
    for (Component component : Component.values()) {
      // the shared ConfigMap goes to every component, so each must read all of it
      for (String variable : shared.keySet()) {
        assertThat(component.key(variable)).as("k8s/config.yaml " + variable + " for the " + component.id).isNotNull();
      }
      Path file = ROOT.resolve("k8s/" + component.id + ".yaml");
      String text = read(file);
      Map<String, String> environment = new LinkedHashMap<>(shared);
      environment.putAll(environment(text, "k8s/" + component.id + ".yaml"));
      Object config = parse(component, environment, "k8s/" + component.id + ".yaml");
      assertThat(port(config)).as(component.id + " port").isEqualTo(component.port);
      assertThat(text).contains("containerPort: " + component.port).contains("containerPort: " + component.opsPort)
          .contains("path: /healthz");
    }
    for (Path file : k8sFiles()) {
      assertThat(read(file)).as(ROOT.relativize(file) + ": no database password in DSQL mode")
          .doesNotContain("QUORUM_DB_PASSWORD").doesNotContainIgnoringCase("password:");
    }

    String gateway = read(ROOT.resolve("k8s/gateway.yaml"));
    assertThat(gateway).as("a Kafka outage must not take every gateway out of the Service: readiness is not /readyz")
        .containsPattern("readinessProbe:\\s+httpGet:\\s+path: /healthz\\s+port: ops");

    String writer = read(ROOT.resolve("k8s/writer.yaml"));
    assertThat(writer).contains("kind: StatefulSet");
    assertThat(writer).as("stable transactional id per ordinal")
        .containsPattern("- name: QUORUM_WRITER_INSTANCE_ID\\s+valueFrom:\\s+fieldRef:\\s+fieldPath: metadata\\.name");
    Map<String, String> writerEnvironment = new LinkedHashMap<>(shared);
    writerEnvironment.putAll(environment(writer, "k8s/writer.yaml"));
    WriterConfig writerConfig = (WriterConfig) parse(Component.WRITER, writerEnvironment, "k8s/writer.yaml");
    assertThat(writerConfig.database().dialect()).isEqualTo(Dialect.DSQL);
    assertThat(writerConfig.database().password()).isNull();

    String projection = read(ROOT.resolve("k8s/projection.yaml"));
    assertThat(projection).as("advertised address from the downward API")
        .containsPattern("- name: POD_IP\\s+valueFrom:\\s+fieldRef:\\s+fieldPath: status\\.podIP")
        .contains("- name: QUORUM_PROJECTION_HTTP_ADVERTISED\n              value: \"$(POD_IP):8083\"");
  }

  @Test
  void theImageExposesTheServicesPorts() {
    String dockerfile = read(ROOT.resolve("Dockerfile"));
    for (Component component : Component.values()) {
      assertThat(dockerfile).containsPattern("(?m)^EXPOSE .*\\b" + component.port + "\\b")
          .containsPattern("(?m)^EXPOSE .*\\b" + component.opsPort + "\\b");
    }
    assertThat(dockerfile).as("the image runs the services-only jar, never the developer launcher")
        .containsPattern("(?m)^COPY .*services/target/quorum-services\\.jar /app/quorum\\.jar$")
        .doesNotContainPattern("(?m)^COPY .*launcher/target");
    assertThat(dockerfile).contains(
        "ENTRYPOINT [\"java\", \"--enable-native-access=ALL-UNNAMED\", \"-XX:MaxRAMPercentage=75\", \"-jar\", \"/app/quorum.jar\"]");
  }

  // --- reading the files ---

  private static Object parse(Component component, Map<String, String> environment, String where) {
    try {
      return component.parse(environment);
    } catch (RuntimeException e) {
      return fail(where + ": the " + component.id + " refuses its configuration: " + e.getMessage(), e);
    }
  }

  private static int port(Object config) {
    return switch (config) {
      case GatewayConfig c -> c.port();
      case WriterConfig c -> c.httpPort();
      case ProjectionConfig c -> c.httpPort();
      case WarRoomConfig c -> c.port();
      default -> throw new IllegalArgumentException(config.getClass().getName());
    };
  }

  /** The blocks under compose's top-level {@code services:}, by service name. */
  private static Map<String, String> composeServices(String compose) {
    Map<String, String> services = new LinkedHashMap<>();
    boolean inServices = false;
    String current = null;
    StringBuilder block = new StringBuilder();
    Pattern service = Pattern.compile("^  ([A-Za-z0-9_.-]+):\\s*(#.*)?$");
    for (String line : compose.split("\n", -1)) {
      if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#")) {
        if (current != null) services.put(current, block.toString());
        current = null;
        inServices = line.startsWith("services:");
        continue;
      }
      if (!inServices) continue;
      Matcher m = service.matcher(line);
      if (m.matches()) {
        if (current != null) services.put(current, block.toString());
        current = m.group(1);
        block.setLength(0);
      } else if (current != null) {
        block.append(line).append('\n');
      }
    }
    if (current != null) services.put(current, block.toString());
    return services;
  }

  /** Every QUORUM_* variable a block of YAML sets, with its value (stand-ins for Secrets and the downward API). */
  private static Map<String, String> environment(String yaml, String where) {
    Map<String, String> environment = new LinkedHashMap<>();
    String[] lines = yaml.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].stripLeading().startsWith("#")) continue;
      Matcher map = MAP_ENTRY.matcher(lines[i]);
      Matcher list = LIST_ENTRY.matcher(lines[i]);
      if (map.matches()) {
        put(environment, map.group(1), scalar(map.group(2)), where);
      } else if (list.matches()) {
        String variable = list.group(1);
        Matcher value = i + 1 < lines.length ? LIST_VALUE.matcher(lines[i + 1]) : null;
        if (value != null && value.matches()) {
          put(environment, variable, scalar(value.group(1)), where);
        } else if (STAND_INS.containsKey(variable)) {
          put(environment, variable, STAND_INS.get(variable), where);
        } else {
          fail(where + ": " + variable + " takes its value from elsewhere; give this test a stand-in for it");
        }
      }
    }
    return environment;
  }

  private static void put(Map<String, String> environment, String variable, String value, String where) {
    if (environment.put(variable, value) != null) fail(where + ": " + variable + " is set twice");
  }

  /** A YAML scalar as the process sees it: quotes removed, compose defaults and k8s references filled in. */
  private static String scalar(String text) {
    String value = text.strip();
    if (value.startsWith("\"")) {
      value = value.substring(1, value.indexOf('"', 1));
    } else if (value.startsWith("'")) {
      value = value.substring(1, value.indexOf('\'', 1));
    } else {
      int comment = value.indexOf(" #");
      if (comment >= 0) value = value.substring(0, comment).strip();
    }
    value = value.replaceAll("\\$\\{[A-Za-z0-9_]+:-([^}]*)}", "$1");  // compose: ${VAR:-default}
    return value.replace("$(POD_IP)", "10.0.0.1");                     // k8s: dependent variable
  }

  private static boolean isKafkaProperty(String property) {
    Set<String> names = KafkaNames.ALL;
    if (names.contains(property)) return true;
    for (String prefix : List.of(StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
        StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.CONSUMER_PREFIX, StreamsConfig.PRODUCER_PREFIX,
        StreamsConfig.ADMIN_CLIENT_PREFIX)) {
      if (property.startsWith(prefix) && names.contains(property.substring(prefix.length()))) return true;
    }
    return false;
  }

  private static final class KafkaNames {
    static final Set<String> ALL = new HashSet<>();

    static {
      ALL.addAll(ProducerConfig.configNames());
      ALL.addAll(ConsumerConfig.configNames());
      ALL.addAll(AdminClientConfig.configNames());
      ALL.addAll(StreamsConfig.configDef().names());
    }
  }

  private static List<Path> k8sFiles() {
    try (Stream<Path> files = Files.list(ROOT.resolve("k8s"))) {
      List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml).isNotEmpty();
      return yaml;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve("k8s"))) return dir;
    }
    throw new IllegalStateException("no docker-compose.yml and k8s/ above " + Path.of("").toAbsolutePath());
  }
}
