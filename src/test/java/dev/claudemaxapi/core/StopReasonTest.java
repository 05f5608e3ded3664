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
        "model_context_window_exceeded, MODEL_CONTEXT_WINDOW_EXCEEDED",
    })
    void readsEveryWireName(String wire, StopReason.Known expected) {
        assertThat(StopReason.fromWire(wire)).isEqualTo(expected);
        assertThat(expected.wireName()).isEqualTo(wire);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {""})
    void aMissingReasonIsANormalEndOfTurn(String wire) {
        assertThat(StopReason.fromWire(wire)).isEqualTo(StopReason.END_TURN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"context_budget_spent", "MAX_TOKENS", "stop"})
    void anUnknownReasonIsKeptAsItCameNotPassedOffAsEndTurn(String wire) {
        assertThat(StopReason.fromWire(wire)).isEqualTo(new StopReason.Unknown(wire));
        assertThat(StopReason.fromWire(wire).wireName()).isEqualTo(wire);
    }

    @Test
    void everyKnownReasonRoundTripsThroughItsWireName() {
        for (StopReason.Known reason : StopReason.Known.values()) {
            assertThat(StopReason.fromWire(reason.wireName())).isEqualTo(reason);
        }
    }
}
