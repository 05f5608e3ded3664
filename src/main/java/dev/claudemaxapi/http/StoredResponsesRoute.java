package dev.claudemaxapi.http;

import dev.claudemaxapi.api.openai.ResponsesEncoder;
import dev.claudemaxapi.core.Caller;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.store.ResponseStore;
import dev.claudemaxapi.store.StoredResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /v1/responses/{id}} gives a stored response back as it was sent; {@code DELETE} removes it. Only the
 * caller that made a response can see or delete it: to anyone else, as to everyone once it expired, it is a 404.
 */
final class StoredResponsesRoute {
    private final ResponseStore store;
    private final ResponsesEncoder encoder;

    StoredResponsesRoute(ResponseStore store, ResponsesEncoder encoder) {
        this.store = store;
        this.encoder = encoder;
    }

    void get(HttpCall call) throws IOException {
        if (streamAsked(call.exchange.getRequestURI().getRawQuery())) {
            throw ProxyException.invalidParam("stream", "Streaming a stored response again is not supported; get it"
                    + " whole without stream=true.");
        }
        String id = Router.id(call.path());
        StoredResponse response = store.find(id, caller(call)).orElseThrow(() -> notFound(id));
        call.sendJson(200, response.response().getBytes(StandardCharsets.UTF_8));
    }

    void delete(HttpCall call) throws IOException {
        String id = Router.id(call.path());
        if (!store.delete(id, caller(call))) {
            throw notFound(id);
        }
        call.sendJson(200, encoder.deleted(id));
    }

    /** Whether the query asks for {@code stream=true} (or {@code 1}); other parameters such as include are ignored. */
    static boolean streamAsked(String rawQuery) {
        String stream = Query.parse(rawQuery).getOrDefault("stream", "");
        return stream.equalsIgnoreCase("true") || stream.equals("1");
    }

    private static Caller caller(HttpCall call) {
        return call.caller().orElse(Caller.ANONYMOUS);
    }

    private static ProxyException notFound(String id) {
        return new ProxyException(ErrorKind.NOT_FOUND, "No response found with id '" + id + "'.", "response_id",
                null, null);
    }
}
