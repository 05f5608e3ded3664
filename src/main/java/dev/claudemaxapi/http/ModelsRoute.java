package dev.claudemaxapi.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.anthropic.AnthropicModels;
import dev.claudemaxapi.api.openai.OpenAiModels;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.core.ProxyException;
import java.io.IOException;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: OpenAI's format, or Anthropic's when the request carries an
 * {@code anthropic-version} header (as the Anthropic SDKs always send), so both SDKs' {@code models.list()} work.
 */
final class ModelsRoute {
    private final ObjectMapper json;
    private final ModelCatalog catalog;

    ModelsRoute(ObjectMapper json, ModelCatalog catalog) {
        this.json = json;
        this.catalog = catalog;
    }

    void list(HttpCall call) throws IOException {
        call.sendJson(200, anthropic(call)
                ? AnthropicModels.list(json, catalog.list())
                : OpenAiModels.list(json, catalog.list()));
    }

    void one(HttpCall call) throws IOException {
        String id = Router.id(call.path());
        ModelCatalog.Entry entry = catalog.find(id).orElseThrow(() ->
                new ProxyException(ErrorKind.NOT_FOUND, "The model '" + id + "' does not exist.", "model", null, null));
        call.sendJson(200, anthropic(call) ? AnthropicModels.one(json, entry) : OpenAiModels.one(json, entry));
    }

    private static boolean anthropic(HttpCall call) {
        return call.header("anthropic-version") != null;
    }
}
