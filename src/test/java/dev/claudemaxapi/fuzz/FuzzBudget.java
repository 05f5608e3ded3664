package dev.claudemaxapi.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Tries and seed of every fuzz property. A normal build runs {@value #DEFAULT_TRIES} tries per property from the
 * fixed seed {@value #DEFAULT_SEED}, so it sends the same requests every time and takes seconds. A longer hunt sets
 * both on the command line, and runs the tier alone:
 *
 * <pre>
 * ./mvnw -B test-compile surefire:test -Dtest='dev.claudemaxapi.fuzz.*Test' -Dfuzz.tries=100000 -Dfuzz.seed=random
 * </pre>
 *
 * <p>{@code fuzz.seed} is a number, or {@code random} for a new seed on every run. jqwik prints the seed of a failing
 * property, which {@code -Dfuzz.seed=THAT} replays; it also remembers the failure in {@code target/jqwik-database}
 * and tries that sample first next time.
 */
public final class FuzzBudget implements AroundPropertyHook {
    static final int DEFAULT_TRIES = 100;
    static final String DEFAULT_SEED = "20251125";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        context.attributes().setTries(tries());
        String seed = System.getProperty("fuzz.seed", DEFAULT_SEED).trim();
        if (!seed.equalsIgnoreCase("random")) {
            context.attributes().setSeed(seed);
        }
        return property.execute();
    }

    private static int tries() {
        return Integer.getInteger("fuzz.tries", DEFAULT_TRIES);
    }

    /** Registered on a test class, it applies to the properties in it. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public int aroundPropertyProximity() {
        // outside jqwik's own hooks, so the attributes are set before anything reads them
        return -100;
    }
}
