package dev.claudemaxapi.soak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.testing.FakeUpstream;
import dev.claudemaxapi.testing.UpstreamReply;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The upstream's side of the soak. Each prompt carries tags, {@code [id:w1-7]} and optionally {@code [soak:500]},
 * and the fake upstream answers each request as its own prompt asks, so four concurrent clients need no shared
 * script. Every answer names the request it is for: a client that gets another request's answer notices.
 */
final class SoakUpstream {
    /** Earlier turns travel before the new message, so the last tag in the last user text is the new request's. */
    private static final Pattern TAG = Pattern.compile("\\[id:([A-Za-z0-9-]+)](?: \\[soak:([a-z0-9]+)])?");
    /** Characters that need escaping in JSON or SSE, and some outside ASCII (none beyond the BMP: chunks split
     * texts by char, which must not cut a surrogate pair). */
    private static final String FILLER = "The soak upstream answers with \"quotes\", a back\\slash, <angle brackets>"
            + " & ampersands, accents (é, ü, ß), 中文, a tab\tand a\nnew line. ";

    enum Kind {
        NORMAL(null),
        SLOW("slow"),
        LONG("long"),
        ERROR_500("500"),
        ERROR_429("429");

        final String marker;

        Kind(String marker) {
            this.marker = marker;
        }

        static Kind of(String marker) {
            for (Kind kind : values()) {
                if (marker != null && marker.equals(kind.marker)) {
                    return kind;
                }
            }
            return NORMAL;
        }
    }

    private SoakUpstream() {}

    static String prompt(String id, Kind kind) {
        return "Please answer this soak request. [id:" + id + "]" + (kind.marker == null ? "" : " [soak:" + kind.marker
                + "]");
    }

    /** The text the upstream streams for that request, a few hundred characters; ~20 KB for {@link Kind#LONG}. */
    static String answer(String id, Kind kind) {
        StringBuilder text = new StringBuilder("Answer for ").append(id).append(". ");
        int length = kind == Kind.LONG ? 20_000 : 300;
        while (text.length() < length) {
            text.append(FILLER);
        }
        return text.append("End of answer ").append(id).append('.').toString();
    }

    /** The reply for one upstream request; requests without a tag (none expected) get a plain answer. */
    static UpstreamReply reply(JsonNode request) {
        Matcher matcher = TAG.matcher(FakeUpstream.lastUserText(request));
        String id = null;
        String marker = null;
        while (matcher.find()) {
            id = matcher.group(1);
            marker = matcher.group(2);
        }
        if (id == null) {
            return UpstreamReply.text("Hello from the soak upstream");
        }
        Kind kind = Kind.of(marker);
        String text = answer(id, kind);
        long outputTokens = text.length() / 4;
        return switch (kind) {
            case NORMAL -> new UpstreamReply.Text(text, 6, 40, outputTokens, Duration.ZERO);
            case SLOW -> new UpstreamReply.Text(text, 10, 40, outputTokens, Duration.ofMillis(250));
            case LONG -> new UpstreamReply.Text(text, 40, 40, outputTokens, Duration.ZERO);
            case ERROR_500 -> new UpstreamReply.Error(500, "api_error", "injected by the soak", null);
            case ERROR_429 -> new UpstreamReply.Error(429, "rate_limit_error", "injected by the soak", 1);
        };
    }
}
