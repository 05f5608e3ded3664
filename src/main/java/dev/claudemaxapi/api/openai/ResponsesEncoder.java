package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.BlockType;
import dev.claudemaxapi.core.Completion;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.Event;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.SseEvent;
import dev.claudemaxapi.core.StopReason;
import dev.claudemaxapi.core.StreamEncoder;
import dev.claudemaxapi.core.Usage;
import dev.claudemaxapi.store.ResponseStore;
import dev.claudemaxapi.store.StoreException;
import dev.claudemaxapi.store.StoredResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes an answer as a Responses API {@code response}: text as a {@code message} item with one
 * {@code output_text} part per text block, each tool call as a {@code function_call} item. Thinking is left out, or
 * is a {@code reasoning} item with its text as the summary when {@code reasoning.summary} asked for it.
 * A {@code max_tokens} stop makes the response {@code incomplete}. Unless the request said {@code store: false}, the
 * finished response is stored before the client gets it, so a client that continues it at once finds it.
 */
public final class ResponsesEncoder {
    private final ObjectMapper json;
    private final Clock clock;
    private final ResponseStore store;

    public ResponsesEncoder(ObjectMapper json, Clock clock, ResponseStore store) {
        this.json = json;
        this.clock = clock;
        this.store = store;
    }

    public byte[] encode(Completion completion, ResponsesRequest request) {
        // items in the answer's order, as the stream gives them: text up to a call is one message item
        List<Object> output = new ArrayList<>();
        List<ResponsesWire.OutputText> texts = new ArrayList<>();
        for (ContentBlock block : completion.content()) {
            switch (block) {
                case ContentBlock.Text text -> texts.add(ResponsesWire.OutputText.of(text.text()));
                case ContentBlock.ToolUse call -> {
                    addMessage(output, texts);
                    output.add(ResponsesWire.FunctionCallItem.of(id("fc_"), call.id(), call.name(), call.inputJson(),
                            "completed"));
                }
                case ContentBlock.Thinking thinking when request.reasoning() == ReasoningText.SHOWN -> {
                    addMessage(output, texts);
                    output.add(ResponsesWire.ReasoningItem.of(id("rs_"),
                            List.of(ResponsesWire.SummaryText.of(thinking.thinking()))));
                }
                default -> {
                    // thinking not asked for; images and results are not answers
                }
            }
        }
        addMessage(output, texts);
        ResponsesWire.Response response = response(id("resp_"), clock.instant().getEpochSecond(), completion.model(),
                completion.stopReason(), output, completion.usage(), request);
        keep(response, request);
        return Json.write(json, response);
    }

    /**
     * Stores the finished response here, where it is written, so the stored object is exactly what the client gets
     * and is in the store before the client has it.
     *
     * @throws ProxyException (500) when the store cannot take it: the client would get an id that continues nothing
     */
    private void keep(ResponsesWire.Response response, ResponsesRequest request) {
        if (!request.echo().store()) {
            return;
        }
        try {
            store.save(new StoredResponse(response.id(), request.keeping().caller(), request.keeping().previousId(),
                    Instant.ofEpochSecond(response.createdAt()), request.keeping().input(),
                    Json.writeString(json, response)));
        } catch (StoreException e) {
            throw new ProxyException(ErrorKind.INTERNAL, "The response could not be stored (" + e.getMessage()
                    + "); send \"store\": false to get answers without storing them.", null, null, e);
        }
    }

    private static void addMessage(List<Object> output, List<ResponsesWire.OutputText> texts) {
        if (!texts.isEmpty()) {
            output.add(ResponsesWire.MessageItem.of(id("msg_"), "completed", List.copyOf(texts)));
            texts.clear();
        }
    }

    /** What {@code DELETE /v1/responses/{id}} answers. */
    public byte[] deleted(String id) {
        return Json.write(json, new ResponsesWire.Deleted(id, "response", true));
    }

    public StreamEncoder streamEncoder(ResponsesRequest request) {
        return new Stream(id("resp_"), clock.instant().getEpochSecond(), request);
    }

    private static String id(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }

    private static ResponsesWire.Response response(String id, long created, String model, StopReason stop,
            List<Object> output, Usage usage, ResponsesRequest request) {
        ResponsesRequest.ResponseSettings settings = request.echo();
        // out of room either way: the cap, or the context window
        boolean cut = stop == StopReason.MAX_TOKENS || stop == StopReason.MODEL_CONTEXT_WINDOW_EXCEEDED;
        return new ResponsesWire.Response(id, "response", created, cut ? "incomplete" : "completed", null,
                cut ? new ResponsesWire.IncompleteDetails("max_output_tokens") : null, settings.instructions(),
                settings.maxOutputTokens(), model, output, settings.parallelToolCalls(),
                request.keeping().previousId().orElse(null), settings.reasoning(), settings.store(),
                settings.temperature(), settings.text(), settings.toolChoice(), settings.tools(), settings.topP(),
                "disabled", ResponsesWire.ResponseUsage.of(usage), settings.user(), settings.metadata());
    }

    /** A reasoning item being streamed: its id, and its place in the output. */
    private record OpenReasoning(String itemId, int outputIndex) {}

    /**
     * The event sequence of a streamed response, every event numbered: {@code response.created} and
     * {@code response.in_progress}; for text, {@code output_item.added}, {@code content_part.added},
     * {@code output_text.delta}s, {@code output_text.done}, {@code content_part.done}, {@code output_item.done}; for a
     * call, {@code output_item.added}, {@code function_call_arguments.delta}s and {@code .done},
     * {@code output_item.done}; for thinking that was asked for, {@code output_item.added},
     * {@code reasoning_summary_part.added}, {@code reasoning_summary_text.delta}s and {@code .done},
     * {@code reasoning_summary_part.done}, {@code output_item.done}; then {@code response.completed} (or
     * {@code response.incomplete}). A failure after the start is {@code response.failed}, before it an {@code error}
     * event. A failed response is not stored: only a finished one can be continued.
     */
    private final class Stream implements StreamEncoder {
        private final String id;
        private final long created;
        private final ResponsesRequest request;
        private final ResponsesRequest.ResponseSettings settings;
        private long sequence;
        private String model = "";
        private Usage usage = Usage.ZERO;
        private StopReason stop = StopReason.END_TURN;
        private boolean started;
        /** The message item the text goes into while it is open: from the first text to the next call or the end. */
        private String messageId;
        private int messageIndex = -1;
        private final List<ResponsesWire.OutputText> parts = new ArrayList<>();
        private final List<Object> output = new ArrayList<>();
        /** By block index: the text so far of an open text part or call. */
        private final Map<Integer, StringBuilder> open = new HashMap<>();
        private final Map<Integer, ResponsesWire.FunctionCallItem> calls = new HashMap<>();
        private final Map<Integer, Integer> callIndexes = new HashMap<>();
        /** By block index: the open reasoning items. */
        private final Map<Integer, OpenReasoning> reasoning = new HashMap<>();

        Stream(String id, long created, ResponsesRequest request) {
            this.id = id;
            this.created = created;
            this.request = request;
            this.settings = request.echo();
        }

        @Override
        public List<SseEvent> encode(Event event) {
            List<SseEvent> out = new ArrayList<>();
            switch (event) {
                case Event.MessageStart start -> {
                    model = start.model();
                    usage = start.usage();
                    started = true;
                    ResponsesWire.Response pending = inProgress();
                    out.add(event(new ResponsesWire.StreamEvent("response.created", sequence++, pending, null, null,
                            null, null, null, null, null, null, null, null, null, null)));
                    out.add(event(new ResponsesWire.StreamEvent("response.in_progress", sequence++, pending, null,
                            null, null, null, null, null, null, null, null, null, null, null)));
                }
                case Event.BlockStart start when start.type() == BlockType.TEXT -> textStart(start.index(), out);
                case Event.BlockStart start when start.type() == BlockType.THINKING
                        && request.reasoning() == ReasoningText.SHOWN -> reasoningStart(start.index(), out);
                case Event.BlockStart ignored -> {
                    // thinking not asked for
                }
                case Event.ToolUseStart start -> callStart(start, out);
                case Event.BlockDelta delta -> delta(delta, out);
                case Event.BlockStop stop -> blockStop(stop.index(), out);
                case Event.BlockSignature ignored -> {
                    // a signature lets the Messages API check thinking sent back; this API has no place for it
                }
                case Event.MessageDelta delta -> {
                    stop = delta.stopReason();
                    usage = delta.usage();
                }
                case Event.MessageStop ignored -> {
                    closeMessage(out);
                    ResponsesWire.Response done = response(id, created, model, stop, output, usage, request);
                    keep(done, request);
                    out.add(event(new ResponsesWire.StreamEvent(done.status().equals("completed")
                            ? "response.completed" : "response.incomplete", sequence++, done, null, null, null, null,
                            null, null, null, null, null, null, null, null)));
                }
            }
            return out;
        }

        private void textStart(int index, List<SseEvent> out) {
            if (messageId == null) {
                messageId = id("msg_");
                messageIndex = output.size();
                out.add(itemEvent("response.output_item.added", messageIndex,
                        ResponsesWire.MessageItem.of(messageId, "in_progress", List.of())));
            }
            open.put(index, new StringBuilder());
            out.add(event(new ResponsesWire.StreamEvent("response.content_part.added", sequence++, null, messageIndex,
                    null, messageId, parts.size(), ResponsesWire.OutputText.of(""), null, null, null, null, null, null,
                    null)));
        }

        /** The message item of the text so far is done: a call comes next, or the end. */
        private void closeMessage(List<SseEvent> out) {
            if (messageId == null) {
                return;
            }
            ResponsesWire.MessageItem message = ResponsesWire.MessageItem.of(messageId, "completed",
                    List.copyOf(parts));
            output.add(message);
            out.add(itemEvent("response.output_item.done", messageIndex, message));
            messageId = null;
            parts.clear();
        }

        private void reasoningStart(int index, List<SseEvent> out) {
            closeMessage(out);
            OpenReasoning item = new OpenReasoning(id("rs_"), output.size());
            reasoning.put(index, item);
            // a placeholder keeps the item's place in the output while it is open
            output.add(ResponsesWire.ReasoningItem.of(item.itemId(), List.of()));
            open.put(index, new StringBuilder());
            out.add(itemEvent("response.output_item.added", item.outputIndex(),
                    ResponsesWire.ReasoningItem.of(item.itemId(), List.of())));
            out.add(reasoningEvent("response.reasoning_summary_part.added", index,
                    ResponsesWire.SummaryText.of(""), null, null));
        }

        private SseEvent reasoningEvent(String type, int index, ResponsesWire.SummaryText part, String delta,
                String text) {
            OpenReasoning item = reasoning.get(index);
            return event(type, new ResponsesWire.ReasoningEvent(type, sequence++, item.itemId(), item.outputIndex(), 0,
                    part, delta, text));
        }

        private void callStart(Event.ToolUseStart start, List<SseEvent> out) {
            closeMessage(out);
            ResponsesWire.FunctionCallItem item = ResponsesWire.FunctionCallItem.of(id("fc_"), start.id(),
                    start.name(), "", "in_progress");
            int index = output.size();
            calls.put(start.index(), item);
            callIndexes.put(start.index(), index);
            open.put(start.index(), new StringBuilder());
            out.add(itemEvent("response.output_item.added", index, item));
        }

        private void delta(Event.BlockDelta delta, List<SseEvent> out) {
            StringBuilder text = open.get(delta.index());
            if (text == null || delta.text().isEmpty()) {
                return;
            }
            text.append(delta.text());
            if (delta.type() == BlockType.TEXT) {
                out.add(event(new ResponsesWire.StreamEvent("response.output_text.delta", sequence++, null,
                        messageIndex, null, messageId, parts.size(), null, delta.text(), null, null, List.of(), null,
                        null, null)));
            } else if (delta.type() == BlockType.THINKING) {
                out.add(reasoningEvent("response.reasoning_summary_text.delta", delta.index(), null, delta.text(),
                        null));
            } else if (delta.type() == BlockType.TOOL_USE) {
                out.add(event(new ResponsesWire.StreamEvent("response.function_call_arguments.delta", sequence++,
                        null, callIndexes.get(delta.index()), null, calls.get(delta.index()).id(), null, null,
                        delta.text(), null, null, null, null, null, null)));
            }
        }

        private void blockStop(int index, List<SseEvent> out) {
            StringBuilder text = open.remove(index);
            if (text == null) {
                return;
            }
            if (reasoning.containsKey(index)) {
                ResponsesWire.SummaryText summary = ResponsesWire.SummaryText.of(text.toString());
                out.add(reasoningEvent("response.reasoning_summary_text.done", index, null, null, summary.text()));
                out.add(reasoningEvent("response.reasoning_summary_part.done", index, summary, null, null));
                OpenReasoning item = reasoning.remove(index);
                ResponsesWire.ReasoningItem done = ResponsesWire.ReasoningItem.of(item.itemId(), List.of(summary));
                output.set(item.outputIndex(), done);
                out.add(itemEvent("response.output_item.done", item.outputIndex(), done));
                return;
            }
            ResponsesWire.FunctionCallItem call = calls.remove(index);
            if (call == null) {
                ResponsesWire.OutputText part = ResponsesWire.OutputText.of(text.toString());
                out.add(event(new ResponsesWire.StreamEvent("response.output_text.done", sequence++, null,
                        messageIndex, null, messageId, parts.size(), null, null, text.toString(), null, List.of(),
                        null, null, null)));
                out.add(event(new ResponsesWire.StreamEvent("response.content_part.done", sequence++, null,
                        messageIndex, null, messageId, parts.size(), part, null, null, null, null, null, null, null)));
                parts.add(part);
                return;
            }
            String arguments = text.isEmpty() ? "{}" : text.toString();
            int outputIndex = callIndexes.get(index);
            out.add(event(new ResponsesWire.StreamEvent("response.function_call_arguments.done", sequence++, null,
                    outputIndex, null, call.id(), null, null, null, null, arguments, null, null, null, null)));
            ResponsesWire.FunctionCallItem done = ResponsesWire.FunctionCallItem.of(call.id(), call.callId(),
                    call.name(), arguments, "completed");
            output.add(done);
            out.add(itemEvent("response.output_item.done", outputIndex, done));
        }

        private ResponsesWire.Response inProgress() {
            return new ResponsesWire.Response(id, "response", created, "in_progress", null, null,
                    settings.instructions(), settings.maxOutputTokens(), model, List.of(), settings.parallelToolCalls(),
                    request.keeping().previousId().orElse(null), settings.reasoning(), settings.store(),
                    settings.temperature(), settings.text(), settings.toolChoice(), settings.tools(), settings.topP(),
                    "disabled", null, settings.user(), settings.metadata());
        }

        private SseEvent itemEvent(String type, int index, Object item) {
            return event(new ResponsesWire.StreamEvent(type, sequence++, null, index, item, null, null, null, null,
                    null, null, null, null, null, null));
        }

        @Override
        public List<SseEvent> error(ProxyException failure) {
            if (!started) {
                return List.of(event(new ResponsesWire.StreamEvent("error", sequence++, null, null, null, null, null,
                        null, null, null, null, null, failure.kind().name().toLowerCase(java.util.Locale.ROOT),
                        failure.getMessage(), failure.param().orElse(null))));
            }
            ResponsesWire.Response base = inProgress();
            ResponsesWire.Response failed = new ResponsesWire.Response(base.id(), base.object(), base.createdAt(),
                    "failed", new ResponsesWire.Error(failure.kind().name().toLowerCase(java.util.Locale.ROOT),
                            failure.getMessage()), null, base.instructions(), base.maxOutputTokens(), base.model(),
                    output, base.parallelToolCalls(), base.previousResponseId(), base.reasoning(), base.store(),
                    base.temperature(), base.text(), base.toolChoice(), base.tools(), base.topP(), base.truncation(),
                    ResponsesWire.ResponseUsage.of(usage), base.user(), base.metadata());
            return List.of(event(new ResponsesWire.StreamEvent("response.failed", sequence++, failed, null, null, null,
                    null, null, null, null, null, null, null, null, null)));
        }

        @Override
        public List<SseEvent> heartbeat() {
            return OpenAiStreams.heartbeat();
        }

        private SseEvent event(ResponsesWire.StreamEvent event) {
            return event(event.type(), event);
        }

        private SseEvent event(String type, Object event) {
            return new SseEvent.Data(type, Json.writeString(json, event));
        }
    }
}
