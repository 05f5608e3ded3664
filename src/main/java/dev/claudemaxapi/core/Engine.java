package dev.claudemaxapi.core;

/** Produces answers. The HTTP layer talks only to this, so it can be tested with a scripted engine. */
public interface Engine extends AutoCloseable {

    /**
     * Starts an answer for {@code turn}. Does not wait for the first event.
     *
     * @throws ProxyException when the answer cannot be started
     */
    EventStream start(Turn turn);

    /** Facts for {@code /health}, such as the CLI path and version. */
    EngineInfo info();

    /** Stops everything still running. Called once, at shutdown, after in-flight requests had their grace period. */
    @Override
    void close();
}
