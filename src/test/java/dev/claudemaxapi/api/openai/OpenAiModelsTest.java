package dev.claudemaxapi.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.ModelCatalog;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiModelsTest {
    private final ObjectMapper json = Json.mapper();

    @Test
    void listsModelsInOpenAiShape() throws IOException {
        byte[] body = OpenAiModels.list(json, List.of(
                new ModelCatalog.Entry("opus", "Claude Opus (latest)", "2026-11-25T00:00:00Z"),
                new ModelCatalog.Entry("claude-sonnet-5-5", "Claude Sonnet 5.5", "2025-01-01T00:00:00Z")));

        assertThat(json.readTree(body)).isEqualTo(json.readTree("""
                {"object": "list", "data": [
                  {"id": "opus", "object": "model", "created": 1795564800, "owned_by": "anthropic"},
                  {"id": "claude-sonnet-5-5", "object": "model", "created": 1735689600, "owned_by": "anthropic"}
                ]}"""));
    }

    @Test
    void listsAnEmptyCatalogAsEmptyData() throws IOException {
        assertThat(json.readTree(OpenAiModels.list(json, List.of())))
                .isEqualTo(json.readTree("{\"object\":\"list\",\"data\":[]}"));
    }

    @Test
    void writesOneModel() throws IOException {
        byte[] body = OpenAiModels.one(json, new ModelCatalog.Entry("haiku", "Claude Haiku", "2026-11-25T00:00:00Z"));

        assertThat(json.readTree(body)).isEqualTo(json.readTree("""
                {"id": "haiku", "object": "model", "created": 1795564800, "owned_by": "anthropic"}"""));
    }

    @Test
    void listsEveryCatalogEntry() throws IOException {
        ModelCatalog catalog = new ModelCatalog(Map.of("gpt-4o", "sonnet"));

        var data = json.readTree(OpenAiModels.list(json, catalog.list())).get("data");

        assertThat(data).hasSize(catalog.list().size());
        assertThat(data.get(data.size() - 1).get("id").asText()).isEqualTo("gpt-4o");
    }
}
