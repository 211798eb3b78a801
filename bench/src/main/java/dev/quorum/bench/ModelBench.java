package dev.quorum.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quorum.event.Event;
import dev.quorum.event.codec.EventCodec;
import dev.quorum.event.fold.Fold;
import dev.quorum.event.fold.IncidentState;
import dev.quorum.event.testing.Catalogue;
import dev.quorum.event.testing.History;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The event model's costs as ratios: strict decoding against a plain JSON parse of the same bytes,
 * and the incremental fold (apply when an event sorts last) against re-folding the whole stream for
 * every event, on a flapping alert group.
 */
public final class ModelBench {
  private ModelBench() {}

  public static List<Harness.Result> run(Harness harness, int streamLength) {
    List<Harness.Result> results = new ArrayList<>();
    History flapping = History.random();
    for (int i = 0; i < streamLength / 2; i++) {
      flapping.add(Catalogue.fired("fp-" + (i % 3)));
      flapping.add(Catalogue.signalResolved("fp-" + (i % 3)));
    }
    List<Event> events = flapping.events();
    List<byte[]> encoded = events.stream().map(EventCodec::encode).toList();
    ObjectMapper plain = new ObjectMapper();

    results.add(harness.compare("strict decode (codec)", "Jackson readTree",
        () -> {
          long n = 0;
          for (byte[] json : encoded) {
            try {
              n += plain.readTree(json).size();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
          return encoded.size() + (n & 0);
        },
        () -> {
          long n = 0;
          for (byte[] json : encoded) n += EventCodec.decode(json).id().getLeastSignificantBits() & 1;
          return encoded.size() + (n & 0);
        }));

    int refoldPrefix = Math.min(events.size(), 600); // re-folding is quadratic: bound its work
    List<Event> prefix = events.subList(0, refoldPrefix);
    results.add(harness.compare("incremental apply, " + refoldPrefix + "-event stream", "re-fold per event",
        () -> {
          long n = 0;
          for (int i = 1; i <= prefix.size(); i++) n += Fold.fold(prefix.subList(0, i)).events();
          return prefix.size() + (n & 0);
        },
        () -> {
          IncidentState state = IncidentState.empty(prefix.getFirst().incidentId());
          for (Event event : prefix) state = Fold.apply(state, event).state().withoutHistory();
          return prefix.size() + (state.events() & 0);
        }));
    return results;
  }
}
