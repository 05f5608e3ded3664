package dev.claudemaxapi.engine.pool;

import java.util.Locale;

/** A session handed to one request for one turn, and where it came from. */
public record Lease(CliSession session, Source source) {

    /** Where a request's process came from, cheapest first; its name is the {@code engine=} of the log line. */
    public enum Source {
        /** The process of the conversation the request continues: only the new input is sent. */
        LIVE,
        /** The process waiting inside the tool calls whose results the request brings: nothing else is sent. */
        TOOL_ROUND,
        /** The process of the conversation whose last turn the request edits or regenerates, rewound to before it. */
        REWOUND,
        /** A process emptied by a rewind to its first message. */
        RECYCLED,
        /** A started, never used process. */
        WARM,
        /** A process started for this request. */
        COLD;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
