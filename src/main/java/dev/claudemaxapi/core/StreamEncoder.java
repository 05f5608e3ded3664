package dev.claudemaxapi.core;

import java.util.List;

/** Turns one answer's events into a dialect's server-sent events. One instance per response. */
public interface StreamEncoder {

    List<SseEvent> encode(Event event);

    /** The in-band error for a failure after the stream started, including any terminator the dialect needs. */
    List<SseEvent> error(ProxyException failure);

    /** What to send while the model is silent, so dead clients and idle proxies are noticed. */
    List<SseEvent> heartbeat();
}
