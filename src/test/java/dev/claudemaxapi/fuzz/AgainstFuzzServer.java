package dev.claudemaxapi.fuzz;

import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * What every property class that sends requests shares: one {@link FuzzServer} for the class, and after each
 * property the check that it still answers a valid request.
 */
abstract class AgainstFuzzServer {
    static FuzzServer server;

    @BeforeContainer
    static void startServer() {
        server = FuzzServer.start();
    }

    @AfterContainer
    static void stopServer() {
        server.close();
    }

    @AfterProperty
    void serverStillAnswers() {
        server.assertStillAnswers();
    }
}
