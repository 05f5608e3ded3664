package dev.claudemaxapi.api.openai;

/**
 * Whether an answer's thinking is shown to an OpenAI client. Off unless asked: the OpenAI shapes have no standard
 * place for it in chat, and clients that do not expect it would show it as the answer or choke on it.
 */
public enum ReasoningText {
    /** Thinking is left out, as OpenAI's own models leave out their reasoning. */
    HIDDEN,
    /** Chat: {@code reasoning_content} on the message and in deltas; Responses: {@code reasoning} output items. */
    SHOWN
}
