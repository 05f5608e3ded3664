package dev.claudemaxapi;

import java.io.UnsupportedEncodingException;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One line per log record on stderr, as text or JSON. */
final class LogSetup {
    private LogSetup() {}

    static void configure(Level level, LogFormat format) {
        Logger root = Logger.getLogger("");
        // Not LogManager.reset(), which ServerLogManager holds back until shutdown: the JDK's default handler goes.
        for (Handler existing : root.getHandlers()) {
            root.removeHandler(existing);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(level);
        try {
            // stderr's default is the platform's encoding, ASCII under a service manager without LANG
            handler.setEncoding("UTF-8");
        } catch (UnsupportedEncodingException impossible) {
            throw new IllegalStateException("every JVM has UTF-8", impossible);
        }
        handler.setFormatter(format.formatter());
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        // Debug output is ours only; the JDK's own loggers stay at INFO.
        Logger.getLogger("dev.claudemaxapi").setLevel(level);
    }
}
