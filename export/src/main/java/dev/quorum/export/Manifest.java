package dev.quorum.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quorum.export.domain.Cut;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What an export holds, written beside its files as {@value #FILE_NAME} and printed: the cut (as-of,
 * axis, the recording and occurrence bounds, whether it was settled), the database it read, how many
 * events it folded and each table's row count and files.
 */
public record Manifest(Cut cut, boolean settled, String database, long events, List<TableFiles> tables) {
  public static final String FILE_NAME = "manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One table: its rows and the files that hold them (names relative to the export's directory). */
  public record TableFiles(String name, long rows, List<String> files) {
    public TableFiles {
      files = List.copyOf(files);
    }
  }

  public Manifest {
    tables = List.copyOf(tables);
  }

  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("asOf", cut.asOf().toString());
    root.put("axis", cut.axis().name().toLowerCase(Locale.ROOT));
    root.put("exportedAt", cut.startedAt().toString());
    root.put("recordedBy", cut.recordedBy().toString());
    Instant occurredBy = cut.occurredBy();
    if (occurredBy == null) root.putNull("occurredBy");
    else root.put("occurredBy", occurredBy.toString());
    root.put("settled", settled);
    root.put("database", database);
    root.put("events", events);
    ArrayNode list = root.putArray("tables");
    for (TableFiles table : tables) {
      ObjectNode node = list.addObject().put("name", table.name()).put("rows", table.rows());
      table.files().forEach(node.putArray("files")::add);
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void writeTo(Path directory) throws IOException {
    Files.writeString(directory.resolve(FILE_NAME), toJson() + "\n");
  }
}
