package dev.claudemaxapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/** How a log line looks: text for people, or one JSON object per line for a log collector. */
enum LogFormat {
    /** {@code time LEVEL message}, and a stack trace below it when there is one. */
    TEXT {
        @Override
        Formatter formatter() {
            return new Formatter() {
                @Override
                public String format(LogRecord record) {
                    String line = Instant.ofEpochMilli(record.getMillis()) + " " + record.getLevel().getName() + " "
                            + message(this, record) + System.lineSeparator();
                    return record.getThrown() == null ? line : line + trace(record.getThrown());
                }
            };
        }
    },
    /**
     * {@code {"time","level","logger","message",...}}; a request's line also carries its fields ({@code request_id},
     * {@code status}, {@code ms}, tokens...), and a failure its stack trace as {@code "trace"}.
     */
    JSON {
        @Override
        Formatter formatter() {
            ObjectMapper json = new ObjectMapper();
            return new Formatter() {
                @Override
                public String format(LogRecord record) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("time", Instant.ofEpochMilli(record.getMillis()).toString());
                    line.put("level", record.getLevel().getName());
                    line.put("logger", record.getLoggerName());
                    line.put("message", message(this, record));
                    fields(record).forEach(line::putIfAbsent);
                    if (record.getThrown() != null) {
                        line.put("trace", trace(record.getThrown()));
                    }
                    try {
                        return json.writeValueAsString(line) + System.lineSeparator();
                    } catch (JsonProcessingException e) {
                        return "{\"level\":\"SEVERE\",\"message\":\"unloggable record\"}" + System.lineSeparator();
                    }
                }
            };
        }
    };

    abstract Formatter formatter();

    /** A record whose parameter is a map of fields has its message whole; others are formatted as usual. */
    private static String message(Formatter formatter, LogRecord record) {
        return fields(record).isEmpty() ? formatter.formatMessage(record) : record.getMessage();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fields(LogRecord record) {
        Object[] parameters = record.getParameters();
        if (parameters != null && parameters.length == 1 && parameters[0] instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        return Map.of();
    }

    private static String trace(Throwable thrown) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
