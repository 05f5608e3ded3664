package dev.claudemaxapi;

import java.io.PrintWriter;
import java.io.UnsupportedEncodingException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One line per log record on stderr: time, level, message. */
final class LogSetup {
    private LogSetup() {}

    static void configure(Level level) {
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
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord record) {
                String line = Instant.ofEpochMilli(record.getMillis()) + " " + record.getLevel().getName() + " "
                        + formatMessage(record) + System.lineSeparator();
                if (record.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    record.getThrown().printStackTrace(new PrintWriter(trace));
                    line += trace;
                }
                return line;
            }
        });
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        // Debug output is ours only; the JDK's own loggers stay at INFO.
        Logger.getLogger("dev.claudemaxapi").setLevel(level);
    }
}
