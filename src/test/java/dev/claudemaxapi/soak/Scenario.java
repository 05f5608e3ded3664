package dev.claudemaxapi.soak;

/** What one iteration of a soak client does; {@code weight} is its share of the picks. */
enum Scenario {
    OPENAI("OpenAI, not streamed", 3),
    OPENAI_STREAM("OpenAI, streamed", 3),
    ANTHROPIC("Anthropic, not streamed", 3),
    ANTHROPIC_STREAM("Anthropic, streamed", 3),
    FOLLOW_UP("multi-turn follow-up (2 requests)", 3),
    DISCONNECT("client disconnect mid-stream", 1),
    SLOW_READER("slow reader", 1),
    UPSTREAM_500("injected upstream 500 (expect 502)", 1),
    UPSTREAM_429("injected upstream 429 (expect 429)", 1);

    final String label;
    final int weight;

    Scenario(String label, int weight) {
        this.label = label;
        this.weight = weight;
    }

    /** The scenario at {@code roll}, a number in [0, total weight). */
    static Scenario pick(int roll) {
        int left = roll;
        for (Scenario scenario : values()) {
            if (left < scenario.weight) {
                return scenario;
            }
            left -= scenario.weight;
        }
        throw new IllegalArgumentException("roll " + roll + " is beyond the total weight " + totalWeight());
    }

    static int totalWeight() {
        int total = 0;
        for (Scenario scenario : values()) {
            total += scenario.weight;
        }
        return total;
    }
}
