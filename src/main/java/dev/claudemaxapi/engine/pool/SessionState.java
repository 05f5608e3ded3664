package dev.claudemaxapi.engine.pool;

import java.util.Set;

/**
 * Where a CLI process is in its life. Only {@link SessionPool} moves a session, by compare-and-set, along the
 * transitions listed here; whoever wins a move owns the session until its next move.
 */
public enum SessionState {
    /** Started or rewound, empty, waiting for a new conversation. */
    SPARE,
    /** Running a turn for one request, which holds it until the turn's stream is closed. */
    IN_TURN,
    /** Idle after a completed turn, filed under its conversation for the next request to continue it. */
    LIVE,
    /**
     * Its answer ended with calls of the client's tools; the CLI waits inside them, filed under the conversation
     * with those calls, for the request that brings their results.
     */
    AWAITING_TOOLS,
    /** Being rewound to its first message, to become a spare or to serve the request that rewinds it. */
    RECYCLING,
    /** Killed or ending; it never leaves this state. */
    DEAD;

    private Set<SessionState> next() {
        return switch (this) {
            case SPARE -> Set.of(IN_TURN, DEAD);
            case IN_TURN -> Set.of(LIVE, AWAITING_TOOLS, RECYCLING, DEAD);
            case AWAITING_TOOLS -> Set.of(IN_TURN, RECYCLING, DEAD);
            case LIVE -> Set.of(IN_TURN, RECYCLING, DEAD);
            case RECYCLING -> Set.of(SPARE, IN_TURN, DEAD);
            case DEAD -> Set.of();
        };
    }

    boolean canMoveTo(SessionState target) {
        return next().contains(target);
    }

    /** Idle processes count toward the pool's budget; one running a turn belongs to its request. */
    boolean idle() {
        return this == SPARE || this == LIVE || this == AWAITING_TOOLS || this == RECYCLING;
    }
}
