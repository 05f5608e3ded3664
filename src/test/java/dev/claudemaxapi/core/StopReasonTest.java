package dev.claudemaxapi.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class StopReasonTest {

    @ParameterizedTest
    @CsvSource({
        "end_turn, END_TURN",
        "max_tokens, MAX_TOKENS",
        "stop_sequence, STOP_SEQUENCE",
        "tool_use, TOOL_USE",
        "pause_turn, PAUSE_TURN",
        "refusal, REFUSAL",
    })
    void readsEveryWireName(String wire, StopReason expected) {
        assertThat(StopReason.fromWire(wire)).isEqualTo(expected);
        assertThat(expected.wireName()).isEqualTo(wire);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "model_context_window_exceeded", "MAX_TOKENS", "stop"})
    void unknownOrMissingReasonsCountAsEndTurn(String wire) {
        assertThat(StopReason.fromWire(wire)).isEqualTo(StopReason.END_TURN);
    }

    @Test
    void everyReasonRoundTripsThroughItsWireName() {
        for (StopReason reason : StopReason.values()) {
            assertThat(StopReason.fromWire(reason.wireName())).isEqualTo(reason);
        }
    }
}
