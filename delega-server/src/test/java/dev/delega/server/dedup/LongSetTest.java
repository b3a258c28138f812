package dev.delega.server.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class LongSetTest {

  /** An operation: add (true) or remove (false) a value. */
  record Op(boolean add, long value) {}

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Long> values =
        Arbitraries.oneOf(
            Arbitraries.longs().between(-40, 40),
            Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L),
            Arbitraries.longs().between(0, 1L << 40).map(v -> v << 16));
    return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 9), values)
        .as((k, v) -> new Op(k < 6, v))
        .list()
        .ofMaxSize(400);
  }

  @Property(tries = 300)
  void behavesLikeAHashSet(@ForAll("operations") List<Op> ops) {
    LongSet set = new LongSet();
    Set<Long> model = new HashSet<>();
    for (Op op : ops) {
      if (op.add()) {
        assertThat(set.add(op.value())).isEqualTo(model.add(op.value()));
      } else {
        assertThat(set.remove(op.value())).isEqualTo(model.remove(op.value()));
      }
      assertThat(set.size()).isEqualTo(model.size());
    }
    Set<Long> seen = new HashSet<>();
    set.forEach(seen::add);
    assertThat(seen).isEqualTo(model);
    for (long v : model) {
      assertThat(set.contains(v)).isTrue();
    }
  }
}
