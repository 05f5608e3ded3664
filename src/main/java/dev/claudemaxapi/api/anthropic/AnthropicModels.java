package dev.claudemaxapi.api.anthropic;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.ModelCatalog;
import java.util.List;

/** {@code /v1/models} in Anthropic's format, for requests that carry an {@code anthropic-version} header. */
public final class AnthropicModels {
    private AnthropicModels() {}

    record Model(String type, String id, @JsonProperty("display_name") String displayName,
            @JsonProperty("created_at") String createdAt) {}

    record ModelPage(List<Model> data, @JsonProperty("has_more") boolean hasMore,
            @JsonProperty("first_id") String firstId, @JsonProperty("last_id") String lastId) {}

    public static byte[] list(ObjectMapper json, List<ModelCatalog.Entry> entries) {
        List<Model> models = entries.stream().map(AnthropicModels::model).toList();
        return Json.write(json, new ModelPage(models, false,
                models.isEmpty() ? null : models.get(0).id(),
                models.isEmpty() ? null : models.get(models.size() - 1).id()));
    }

    public static byte[] one(ObjectMapper json, ModelCatalog.Entry entry) {
        return Json.write(json, model(entry));
    }

    private static Model model(ModelCatalog.Entry entry) {
        return new Model("model", entry.id(), entry.displayName(), entry.createdAt());
    }
}
