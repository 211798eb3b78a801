package dev.quorum.event.testing;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.quorum.event.Schemas;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Validates JSON against the contracts (networknt's validator, JSON Schema 2020-12, formats asserted):
 * the schemas of {@link Schemas} from the classpath, or any document a registry of {@link #registry} reads.
 */
public final class Contracts {
  /** Where the schemas are read from: the classpath, as the services serve them. */
  public static final String BASE = "classpath:" + Schemas.DIRECTORY;
  private static final SchemaRegistry REGISTRY = registry(builder -> { });
  private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

  private Contracts() {}

  /** A 2020-12 registry that asserts formats (uuid, date-time, date), with more settings from {@code more}. */
  public static SchemaRegistry registry(Consumer<SchemaRegistry.Builder> more) {
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> {
      builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build());
      more.accept(builder);
    });
  }

  /** The schema of the catalogue with that name, e.g. {@code event.json}. */
  public static Schema schema(String name) {
    return SCHEMAS.computeIfAbsent(name, n -> {
      Schema schema = REGISTRY.getSchema(SchemaLocation.of(BASE + n));
      schema.initializeValidators();
      return schema;
    });
  }

  /** What is wrong with {@code json} by the named schema; empty when it conforms. */
  public static List<String> violations(String name, String json) {
    return violations(schema(name), json);
  }

  public static List<String> violations(Schema schema, String json) {
    return schema.validate(json, InputFormat.JSON).stream().map(Contracts::describe).toList();
  }

  /** Fails, naming every violation, unless {@code json} conforms to the named schema. */
  public static void requireValid(String name, String json) {
    requireValid(schema(name), name, json);
  }

  public static void requireValid(Schema schema, String what, String json) {
    List<String> violations = violations(schema, json);
    if (!violations.isEmpty()) {
      throw new AssertionError("does not conform to " + what + ": " + violations + "\n" + abbreviate(json));
    }
  }

  private static String describe(Error error) {
    return error.getInstanceLocation() + " " + error.getMessage() + " [" + error.getKeyword() + "]";
  }

  private static String abbreviate(String json) {
    return json.length() <= 2000 ? json : json.substring(0, 2000) + "...";
  }
}
