package dev.claudemaxapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ServerLogManagerTest {

    @Test
    void keepsItsHandlersThroughTheJdksShutdownResetUntilTheServerFinishes() {
        ServerLogManager manager = new ServerLogManager();
        Logger logger = Logger.getLogger("dev.claudemaxapi.test.shutdown-" + System.nanoTime());
        Handler handler = new ConsoleHandler();
        logger.addHandler(handler);
        manager.addLogger(logger);

        manager.reset();
        assertThat(logger.getHandlers()).as("the JDK's own shutdown hook resets; lines must still go out")
                .containsExactly(handler);

        manager.finish();
        assertThat(logger.getHandlers()).isEmpty();
    }
}
