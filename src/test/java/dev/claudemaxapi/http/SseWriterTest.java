package dev.claudemaxapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.claudemaxapi.core.SseEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseWriterTest {

    /** Records bytes and how often it was flushed. */
    private static final class RecordingStream extends ByteArrayOutputStream {
        int flushes;

        @Override
        public void flush() {
            flushes++;
        }

        String text() {
            return toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void framesANamedEvent() {
        assertThat(SseWriter.frame(new SseEvent.Data("message_stop", "{\"type\":\"message_stop\"}")))
                .isEqualTo("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    @Test
    void framesAnUnnamedEvent() {
        assertThat(SseWriter.frame(SseEvent.Data.unnamed("[DONE]"))).isEqualTo("data: [DONE]\n\n");
    }

    @Test
    void framesAComment() {
        assertThat(SseWriter.frame(new SseEvent.Comment("ping"))).isEqualTo(": ping\n\n");
    }

    @Test
    void splitsMultiLineDataOnLfCrAndCrlf() {
        assertThat(SseWriter.frame(SseEvent.Data.unnamed("a\nb\rc\r\nd")))
                .isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
    }

    @Test
    void keepsEmptyLinesInsideDataAsEmptyDataLines() {
        assertThat(SseWriter.frame(SseEvent.Data.unnamed("a\n\nb\n")))
                .isEqualTo("data: a\ndata: \ndata: b\ndata: \n\n");
    }

    @Test
    void dataCannotEndTheEventEarlyOrInjectAField() {
        String frame = SseWriter.frame(new SseEvent.Data("x", "ok\n\nevent: evil\r\ndata: injected"));

        assertThat(frame).isEqualTo("event: x\ndata: ok\ndata: \ndata: event: evil\ndata: data: injected\n\n");
        assertThat(frame.indexOf("\n\n")).isEqualTo(frame.length() - 2);
        assertThat(frame).doesNotContain("\r");
    }

    @Test
    void namesCannotInjectLines() {
        assertThat(SseWriter.frame(new SseEvent.Data("ping\ndata: evil\r\n\rid: 1", "{}")))
                .isEqualTo("event: ping data: evil  id: 1\ndata: {}\n\n");
    }

    @Test
    void commentsCannotInjectLines() {
        assertThat(SseWriter.frame(new SseEvent.Comment("hi\n\nevent: evil\rdata: x")))
                .isEqualTo(": hi  event: evil data: x\n\n");
    }

    @Test
    void writesNonAsciiAsUtf8() throws IOException {
        RecordingStream out = new RecordingStream();

        new SseWriter(out).write(List.of(SseEvent.Data.unnamed("héllo ✓")));

        assertThat(out.toByteArray()).isEqualTo("data: héllo ✓\n\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesABatchAndFlushesOnce() throws IOException {
        RecordingStream out = new RecordingStream();

        new SseWriter(out).write(List.of(
                new SseEvent.Data("ping", "{\"type\":\"ping\"}"), new SseEvent.Comment("keepalive"),
                SseEvent.Data.unnamed("[DONE]")));

        assertThat(out.text()).isEqualTo("event: ping\ndata: {\"type\":\"ping\"}\n\n: keepalive\n\ndata: [DONE]\n\n");
        assertThat(out.flushes).isEqualTo(1);
    }

    @Test
    void anEmptyBatchWritesAndFlushesNothing() throws IOException {
        RecordingStream out = new RecordingStream();

        new SseWriter(out).write(List.of());

        assertThat(out.size()).isZero();
        assertThat(out.flushes).isZero();
    }
}
