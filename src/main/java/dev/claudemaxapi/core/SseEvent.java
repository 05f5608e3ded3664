package dev.claudemaxapi.core;

import java.util.Objects;

/** One server-sent event as a dialect wants it written; framing is the HTTP layer's job. */
public sealed interface SseEvent {

    /** An event with an optional name ({@code event:} line) and a data payload. */
    record Data(String name, String data) implements SseEvent {
        public Data {
            Objects.requireNonNull(data, "data");
        }

        public static Data unnamed(String data) {
            return new Data(null, data);
        }
    }

    /** A comment line ({@code : text}), which clients ignore: used as a heartbeat. */
    record Comment(String text) implements SseEvent {}
}
