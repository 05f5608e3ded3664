package dev.claudemaxapi.api.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.ModelCatalog;
import java.time.Instant;
import java.util.List;

/** {@code /v1/models} in OpenAI's format. */
public final class OpenAiModels {
    private OpenAiModels() {}

    record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {}

    record ModelList(String object, List<Model> data) {}

    public static byte[] list(ObjectMapper json, List<ModelCatalog.Entry> entries) {
        return Json.write(json, new ModelList("list", entries.stream().map(OpenAiModels::model).toList()));
    }

    public static byte[] one(ObjectMapper json, ModelCatalog.Entry entry) {
        return Json.write(json, model(entry));
    }

    private static Model model(ModelCatalog.Entry entry) {
        return new Model(entry.id(), "model", Instant.parse(entry.createdAt()).getEpochSecond(), "anthropic");
    }
}
