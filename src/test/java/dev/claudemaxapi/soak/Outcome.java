package dev.claudemaxapi.soak;

/**
 * How one request ended: as expected (an answer, the status an injected error maps to, a hang-up the client made
 * itself) or not (anything else), with what the client saw.
 */
record Outcome(Scenario scenario, boolean expected, String detail) {
    private static final int EXCERPT = 300;

    static Outcome expected(Scenario scenario, String detail) {
        return new Outcome(scenario, true, detail);
    }

    static Outcome unexpected(Scenario scenario, String detail) {
        return new Outcome(scenario, false, detail);
    }

    /** Expected: a 200 whose body is a whole answer of exactly {@code expectedText}. */
    static Outcome ofAnswer(Scenario scenario, Dialect dialect, boolean stream, int status, String body,
            String expectedText) {
        if (status != 200) {
            return unexpected(scenario, "status " + status + ": " + excerpt(body));
        }
        ReplyCheck.Reply reply = ReplyCheck.read(dialect, stream, body);
        if (!reply.ok()) {
            return unexpected(scenario, reply.problem() + ": " + excerpt(body));
        }
        if (!reply.text().equals(expectedText)) {
            return unexpected(scenario, "wrong answer: '" + excerpt(reply.text()) + "', expected '"
                    + excerpt(expectedText) + "'");
        }
        return expected(scenario, "answered");
    }

    /**
     * Expected: {@code expectedStatus} with an error body in the dialect's shape; for a stream, also a 200 whose
     * stream ends with an in-band error: a streamed answer sends its headers once its first event is late (10 s),
     * and a CLI that takes longer than that to fail (a loaded machine) fails in-band, as documented.
     */
    static Outcome ofError(Scenario scenario, Dialect dialect, boolean stream, int expectedStatus, int status,
            String body) {
        if (stream && status == 200) {
            ReplyCheck.Reply reply = ReplyCheck.read(dialect, true, body);
            return reply.problem() != null && reply.problem().startsWith("in-band error")
                    ? expected(scenario, "in-band error after the wait for the first event")
                    : unexpected(scenario, "status 200 without an in-band error: " + excerpt(body));
        }
        if (status != expectedStatus) {
            return unexpected(scenario, "status " + status + " instead of " + expectedStatus + ": " + excerpt(body));
        }
        if (!ReplyCheck.isError(dialect, body)) {
            return unexpected(scenario, "status " + status + " without a " + dialect + " error body: "
                    + excerpt(body));
        }
        return expected(scenario, "status " + status);
    }

    static String excerpt(String text) {
        String flat = text.replace("\n", "\\n");
        return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT) + "...";
    }
}
