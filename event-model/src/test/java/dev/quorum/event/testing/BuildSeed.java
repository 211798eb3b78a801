package dev.quorum.event.testing;

import java.util.Locale;
import net.jqwik.api.FixedSeedMode;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyAttributes;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Runs every jqwik property with the seed the build chose, so that a build draws the same inputs each
 * time and a failure replays: the parent POM sets {@value #SEED} (and prints it), and a failing
 * property names it in its failure. {@code -Dquorum.seed=random} explores with fresh seeds,
 * {@code -Dquorum.tries=N} multiplies every property's tries. Registered for every module whose tests
 * use this test-jar (META-INF/services).
 */
public final class BuildSeed implements AroundPropertyHook {
  /** The system property with the seed: a number, or {@code random}. Unset (an IDE run): jqwik's own random seed. */
  public static final String SEED = "quorum.seed";
  /** The system property multiplying each property's tries. */
  public static final String TRIES = "quorum.tries";
  private static final int JQWIK_DEFAULT_TRIES = 1000;

  @Override
  public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
    PropertyAttributes attributes = context.attributes();
    String seed = System.getProperty(SEED, "").strip();
    boolean fixedByTheBuild = !seed.isEmpty() && !seed.toLowerCase(Locale.ROOT).equals("random");
    if (fixedByTheBuild && attributes.seed().isEmpty()) {
      attributes.setSeed(seed);
      attributes.setWhenFixedSeed(FixedSeedMode.ALLOW);
    }
    int factor = Integer.parseInt(System.getProperty(TRIES, "1").strip());
    if (factor > 1) attributes.setTries(attributes.tries().orElse(JQWIK_DEFAULT_TRIES) * factor);

    PropertyExecutionResult result = property.execute();
    if (result.status() != PropertyExecutionResult.Status.FAILED) return result;
    String used = result.seed().orElse(seed);
    return result.mapToFailed(new AssertionError(context.extendedLabel() + " failed with seed " + used
        + ": replay it with -D" + SEED + "=" + used + ", then keep the failing sample as an example test",
        result.throwable().orElse(null)));
  }

  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public int aroundPropertyProximity() {
    // outside jqwik's own hooks, so that the seed is set before they run
    return -100;
  }
}
