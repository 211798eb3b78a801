package dev.quorum.event.fold;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The shared structures behave as their plain copies would, and no change is seen by an older version. */
class SharedStructuresPropertiesTest {

  /** One change: a key from a small range (so keys repeat and get removed), a value, and whether it removes. */
  record Change(String key, int value, boolean remove) {}

  @Provide
  Arbitrary<List<Change>> changes() {
    Arbitrary<Change> change = net.jqwik.api.Combinators.combine(
            Arbitraries.integers().between(0, 60).map(i -> "k" + i),
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, 3).map(i -> i == 0))
        .as(Change::new);
    return change.list().ofMaxSize(300);
  }

  @Property(tries = 300)
  @Label("SharedMap equals a TreeMap after every change, counts alike, and every older version is unchanged")
  void a_shared_map_is_a_map_whose_versions_never_change(@ForAll("changes") List<Change> changes) {
    SharedMap<Integer> map = SharedMap.counting(v -> v == 0);
    TreeMap<String, Integer> plain = new TreeMap<>();
    List<SharedMap<Integer>> versions = new ArrayList<>();
    List<TreeMap<String, Integer>> copies = new ArrayList<>();
    for (Change c : changes) {
      map = c.remove() ? map.minus(c.key()) : map.plus(c.key(), c.value());
      if (c.remove()) plain.remove(c.key());
      else plain.put(c.key(), c.value());
      versions.add(map);
      copies.add(new TreeMap<>(plain));
      assertThat(map).isEqualTo(plain);
      assertThat(new ArrayList<>(map.keySet())).isEqualTo(new ArrayList<>(plain.keySet()));
      assertThat(map.counted()).isEqualTo((int) plain.values().stream().filter(v -> v == 0).count());
    }
    for (int i = 0; i < versions.size(); i++) assertThat(versions.get(i)).isEqualTo(copies.get(i));
  }

  @Property(tries = 300)
  @Label("SharedSet equals a TreeSet, SharedList an ArrayList, also when an older version grows a branch")
  void shared_sets_and_lists_are_sets_and_lists(@ForAll("changes") List<Change> changes) {
    SharedSet set = SharedSet.empty();
    TreeSet<String> plainSet = new TreeSet<>();
    SharedList<String> list = SharedList.empty();
    List<SharedList<String>> lists = new ArrayList<>();
    List<List<String>> listCopies = new ArrayList<>();
    for (Change c : changes) {
      set = c.remove() ? set.minus(c.key()) : set.plus(c.key());
      if (c.remove()) plainSet.remove(c.key());
      else plainSet.add(c.key());
      assertThat(new ArrayList<>(set)).isEqualTo(new ArrayList<>(plainSet));
      // a remove here grows a branch from an older version instead
      SharedList<String> from = c.remove() && !lists.isEmpty() ? lists.get(c.value() % lists.size()) : list;
      list = from.plus(c.key());
      List<String> copy = new ArrayList<>(from);
      copy.add(c.key());
      lists.add(list);
      listCopies.add(copy);
    }
    for (int i = 0; i < lists.size(); i++) assertThat(lists.get(i)).isEqualTo(listCopies.get(i));
  }

  @Property(tries = 50)
  @Label("SharedMap.of copies a plain map once and hands a shared one back as it is")
  void of_shares_what_is_shared(@ForAll Map<@net.jqwik.api.constraints.AlphaChars String, Integer> plain) {
    SharedMap<Integer> shared = SharedMap.of(plain);
    assertThat(shared).isEqualTo(plain);
    assertThat(SharedMap.of(shared)).isSameAs(shared);
    // in key order (as a stored value is read back) it is built in one pass, and grows on like any other
    TreeMap<String, Integer> sorted = new TreeMap<>(plain);
    SharedMap<Integer> inOrder = SharedMap.of(new java.util.LinkedHashMap<>(sorted), v -> v == 0);
    assertThat(inOrder).isEqualTo(sorted);
    assertThat(inOrder.counted()).isEqualTo((int) sorted.values().stream().filter(v -> v == 0).count());
    sorted.put("~last", 0);
    assertThat(new ArrayList<>(inOrder.plus("~last", 0).keySet())).isEqualTo(new ArrayList<>(sorted.keySet()));
  }
}
