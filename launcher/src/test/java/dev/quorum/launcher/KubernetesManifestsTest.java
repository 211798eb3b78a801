package dev.quorum.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Reads every manifest under {@code k8s/} into the Kubernetes API types (fabric8's model), refusing a
 * key the type does not have, and checks what the types alone cannot: probes reach a declared port and
 * an ops path, Services and the Ingress point at ports that exist, every container is locked down, no
 * pod mounts an API token, and the projection reads as its own read-only identity.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KubernetesManifestsTest {
  private static final Path K8S = Path.of("..", "k8s");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> OPS_PATHS = Set.of("/healthz", "/readyz");
  /** The API type of each apiVersion and kind the manifests use. */
  private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.of(
      "v1 Namespace", io.fabric8.kubernetes.api.model.Namespace.class,
      "v1 ServiceAccount", ServiceAccount.class,
      "v1 ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class,
      "v1 Secret", io.fabric8.kubernetes.api.model.Secret.class,
      "v1 Service", Service.class,
      "apps/v1 Deployment", Deployment.class,
      "apps/v1 StatefulSet", StatefulSet.class,
      "policy/v1 PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class,
      "networking.k8s.io/v1 Ingress", Ingress.class);

  @Test
  void every_manifest_reads_into_the_api_types_without_a_key_they_do_not_have() throws IOException {
    List<String> problems = new ArrayList<>();
    List<HasMetadata> resources = resources();
    for (HasMetadata resource : resources) unknownKeys(resource, resource.getKind() + "/" + resource.getMetadata().getName(), problems,
        new IdentityHashMap<>());
    assertThat(resources).extracting(HasMetadata::getKind)
        .contains("Deployment", "StatefulSet", "Service", "ServiceAccount", "ConfigMap", "Secret", "Ingress", "PodDisruptionBudget");
    assertThat(problems).as("keys the Kubernetes API does not know").isEmpty();
  }

  @Test
  void workloads_probe_declared_ports_on_ops_paths_and_run_locked_down_without_api_tokens() throws IOException {
    List<String> problems = new ArrayList<>();
    for (HasMetadata resource : resources()) {
      PodSpec pod = switch (resource) {
        case Deployment d -> d.getSpec().getTemplate().getSpec();
        case StatefulSet s -> s.getSpec().getTemplate().getSpec();
        default -> null;
      };
      if (pod == null) continue;
      String name = resource.getMetadata().getName();
      if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) problems.add(name + ": mounts a Kubernetes API token");
      if (pod.getSecurityContext() == null || !Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot())) {
        problems.add(name + ": may run as root");
      }
      for (Container container : pod.getContainers()) {
        String where = name + "/" + container.getName();
        var security = container.getSecurityContext();
        if (security == null || !Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())
            || !Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())
            || security.getCapabilities() == null || !security.getCapabilities().getDrop().contains("ALL")) {
          problems.add(where + ": not locked down (no privilege escalation, read-only root, all capabilities dropped)");
        }
        for (Probe probe : Stream.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())
            .filter(Objects::nonNull).toList()) {
          if (probe.getHttpGet() == null) {
            problems.add(where + ": a probe that is not an HTTP GET");
            continue;
          }
          if (!OPS_PATHS.contains(probe.getHttpGet().getPath())) problems.add(where + ": probes " + probe.getHttpGet().getPath());
          if (port(container.getPorts(), probe.getHttpGet().getPort()) == null) {
            problems.add(where + ": probes port " + probe.getHttpGet().getPort() + ", which the container does not declare");
          }
        }
        container.getEnv().stream().filter(e -> !e.getName().matches("[A-Z_][A-Z0-9_]*"))
            .forEach(e -> problems.add(where + ": environment name " + e.getName()));
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void services_and_the_ingress_point_at_ports_that_exist() throws IOException {
    List<HasMetadata> resources = resources();
    List<String> problems = new ArrayList<>();
    for (Service service : ofKind(resources, Service.class)) {
      List<ContainerPort> ports = workloadPorts(resources, service.getSpec().getSelector());
      if (ports.isEmpty()) problems.add("service " + service.getMetadata().getName() + " selects no workload");
      for (ServicePort port : service.getSpec().getPorts()) {
        IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
        if (port(ports, target) == null) problems.add("service " + service.getMetadata().getName() + " targets " + target);
      }
    }
    for (Ingress ingress : ofKind(resources, Ingress.class)) {
      ingress.getSpec().getRules().forEach(rule -> rule.getHttp().getPaths().forEach(path -> {
        IngressBackend backend = path.getBackend();
        Service service = ofKind(resources, Service.class).stream()
            .filter(s -> s.getMetadata().getName().equals(backend.getService().getName())).findFirst().orElse(null);
        var wanted = backend.getService().getPort();
        boolean found = service != null && service.getSpec().getPorts().stream()
            .anyMatch(p -> Objects.equals(p.getName(), wanted.getName()) || Objects.equals(p.getPort(), wanted.getNumber()));
        if (!found) problems.add("ingress " + path.getPath() + " -> " + backend.getService().getName() + ":" + wanted);
      }));
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void the_projection_reads_as_its_own_identity_and_read_only_role() throws IOException {
    List<HasMetadata> resources = resources();
    Deployment projection = ofKind(resources, Deployment.class).stream()
        .filter(d -> d.getMetadata().getName().equals("quorum-projection")).findFirst().orElseThrow();
    String account = projection.getSpec().getTemplate().getSpec().getServiceAccountName();
    assertThat(account).isEqualTo("quorum-projection");
    assertThat(ofKind(resources, ServiceAccount.class)).extracting(a -> a.getMetadata().getName()).contains(account);
    var config = ofKind(resources, io.fabric8.kubernetes.api.model.ConfigMap.class).stream()
        .filter(c -> c.getMetadata().getName().equals("quorum-projection")).findFirst().orElseThrow();
    assertThat(config.getData()).containsEntry("QUORUM_DB_USERNAME", "quorum_reader");
    for (StatefulSet writer : ofKind(resources, StatefulSet.class)) {
      assertThat(writer.getSpec().getTemplate().getSpec().getServiceAccountName()).isNotEqualTo(account);
    }
  }

  // --- reading ---

  private static List<HasMetadata> resources() throws IOException {
    List<HasMetadata> resources = new ArrayList<>();
    try (Stream<Path> files = Files.list(K8S)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).sorted().toList()) {
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
          while (documents.hasNext()) {
            JsonNode document = documents.next();
            if (document == null || document.isEmpty()) continue;
            String kind = document.path("apiVersion").asText() + " " + document.path("kind").asText();
            assertThat(TYPES).as(file + ": a kind this test knows").containsKey(kind);
            resources.add(YAML.treeToValue(document, TYPES.get(kind)));
          }
        }
      }
    }
    return resources;
  }

  private static <T> List<T> ofKind(List<HasMetadata> resources, Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static List<ContainerPort> workloadPorts(List<HasMetadata> resources, Map<String, String> selector) {
    List<ContainerPort> ports = new ArrayList<>();
    for (HasMetadata resource : resources) {
      var template = switch (resource) {
        case Deployment d -> d.getSpec().getTemplate();
        case StatefulSet s -> s.getSpec().getTemplate();
        default -> null;
      };
      if (template != null && template.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())) {
        template.getSpec().getContainers().forEach(c -> ports.addAll(c.getPorts()));
      }
    }
    return ports;
  }

  /** The container port a probe or a Service names, by name or number, or null. */
  private static ContainerPort port(List<ContainerPort> ports, IntOrString wanted) {
    return ports.stream().filter(p -> wanted.getStrVal() != null ? wanted.getStrVal().equals(p.getName())
        : Objects.equals(wanted.getIntVal(), p.getContainerPort())).findFirst().orElse(null);
  }

  /** Keys the API types did not take land in additionalProperties: each is a key Kubernetes would refuse or ignore. */
  private static void unknownKeys(Object node, String path, List<String> problems, Map<Object, Boolean> seen) {
    if (node == null || seen.put(node, true) != null) return;
    if (node instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) unknownKeys(item, path + "[" + i++ + "]", problems, seen);
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownKeys(v, path + "." + k, problems, seen));
      return;
    }
    if (!node.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) return;
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) continue;
      Object value;
      try {
        value = getter.invoke(node);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) problems.add(path + ": " + extra.keySet());
      } else {
        unknownKeys(value, path + "." + getter.getName().substring(3), problems, seen);
      }
    }
  }
}
