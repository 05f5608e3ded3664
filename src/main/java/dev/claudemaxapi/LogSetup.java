package dev.claudemaxapi;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One line per log record on stderr: time, level, message. */
final class LogSetup {
    private LogSetup() {}

    static void configure(Level level) {
        LogManager.getLogManager().reset();
        ConsoleHandler handler = new ConsoleHandler();
        handler.setLevel(level);
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
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        root.setLevel(Level.INFO);
        // Debug output is ours only; the JDK's own loggers stay at INFO.
        Logger.getLogger("dev.claudemaxapi").setLevel(level);
    }
}
