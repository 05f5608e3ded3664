package dev.claudemaxapi.http;

import static dev.claudemaxapi.testing.Wire.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.Message;
import dev.claudemaxapi.core.Role;
import dev.claudemaxapi.testing.ScriptedEngine;
import dev.claudemaxapi.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stored responses over HTTP: {@code previous_response_id} puts the stored chain before the new input, {@code GET}
 * gives a response back as sent, {@code DELETE} removes it, and what is unknown, deleted, unstored or another key's is
 * a 404 in OpenAI's shape (a 400 {@code previous_response_not_found} when it is continued, as the API answers).
 */
class StoredResponsesRouteTest {
    private static final String ALICE = "Bearer alice-key";
    private static final String BOB = "Bearer bob-key";

    private final ScriptedEngine engine = ScriptedEngine.replying("Hello", " there");
    private final TestServer server = TestServer.with(engine).apiKeys("alice-key", "bob-key").start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    private JsonNode create(String body, String key) {
        HttpResponse<String> response = server.post("/v1/responses", body, "Authorization", key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return tree(response.body());
    }

    private HttpResponse<String> delete(String path, String key) {
        return server.send(server.request(path, "Authorization", key).DELETE().build());
    }

    @Test
    void aResponseComesBackWithGetExactlyAsItWasSent() {
        JsonNode created = create("{\"model\":\"sonnet\",\"input\":\"Hi\"}", ALICE);

        HttpResponse<String> fetched = server.get("/v1/responses/" + created.get("id").asText(),
                "Authorization", ALICE);

        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(tree(fetched.body())).isEqualTo(created);
        assertThat(created.get("store").asBoolean()).isTrue();
    }

    @Test
    void aStreamedResponseIsStoredAsItsCompletedEventGaveIt() {
        HttpResponse<String> streamed = server.post("/v1/responses",
                "{\"model\":\"sonnet\",\"input\":\"Hi\",\"stream\":true}", "Authorization", ALICE);
        String completed = streamed.body().lines().filter(line -> line.startsWith("data: ")
                && line.contains("\"response.completed\"")).findFirst().orElseThrow().substring(6);
        JsonNode response = tree(completed).get("response");

        HttpResponse<String> fetched = server.get("/v1/responses/" + response.get("id").asText(),
                "Authorization", ALICE);

        assertThat(tree(fetched.body())).isEqualTo(response);
    }

    @Test
    void previousResponseIdPutsTheWholeChainBeforeTheNewInputButNotTheEarlierInstructions() {
        JsonNode first = create("{\"model\":\"sonnet\",\"instructions\":\"Be brief.\",\"input\":\"Hi\"}", ALICE);
        JsonNode second = create("{\"model\":\"sonnet\",\"previous_response_id\":\"" + first.get("id").asText()
                + "\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"And?\"}]}]}",
                ALICE);
        create("{\"model\":\"sonnet\",\"instructions\":\"Be kind.\",\"previous_response_id\":\""
                + second.get("id").asText() + "\",\"input\":\"Bye\"}", ALICE);

        assertThat(second.get("previous_response_id").asText()).isEqualTo(first.get("id").asText());
        assertThat(engine.turns()).hasSize(3);
        assertThat(engine.turns().get(1).system()).isEmpty();
        assertThat(engine.turns().get(2).system()).contains("Be kind.");
        assertThat(engine.turns().get(2).messages()).containsExactly(Message.user("Hi"),
                new Message(Role.ASSISTANT, List.of(new ContentBlock.Text("Hello there"))), Message.user("And?"),
                new Message(Role.ASSISTANT, List.of(new ContentBlock.Text("Hello there"))), Message.user("Bye"));
    }

    @Test
    void anUnknownPreviousResponseIsTheApisPreviousResponseNotFoundAndStartsNoAnswer() {
        HttpResponse<String> response = server.post("/v1/responses",
                "{\"model\":\"sonnet\",\"previous_response_id\":\"resp_nope\",\"input\":\"Hi\"}",
                "Authorization", ALICE);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = tree(response.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("code").asText()).isEqualTo("previous_response_not_found");
        assertThat(error.get("param").asText()).isEqualTo("previous_response_id");
        assertThat(error.get("message").asText()).contains("resp_nope");
        assertThat(engine.turns()).isEmpty();
    }

    @Test
    void anotherKeyCanNeitherSeeNorContinueNorDeleteAResponse() {
        String id = create("{\"model\":\"sonnet\",\"input\":\"Hi\"}", ALICE).get("id").asText();

        assertThat(server.get("/v1/responses/" + id, "Authorization", BOB).statusCode()).isEqualTo(404);
        assertThat(delete("/v1/responses/" + id, BOB).statusCode()).isEqualTo(404);
        assertThat(server.post("/v1/responses", "{\"model\":\"sonnet\",\"previous_response_id\":\"" + id
                + "\",\"input\":\"Hi\"}", "Authorization", BOB).statusCode()).isEqualTo(400);
        assertThat(server.get("/v1/responses/" + id, "Authorization", ALICE).statusCode()).isEqualTo(200);
    }

    @Test
    void aDeletedResponseIsGoneAndCannotBeContinued() {
        String id = create("{\"model\":\"sonnet\",\"input\":\"Hi\"}", ALICE).get("id").asText();

        HttpResponse<String> deleted = delete("/v1/responses/" + id, ALICE);

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(tree(deleted.body())).isEqualTo(tree("{\"id\":\"" + id
                + "\",\"object\":\"response\",\"deleted\":true}"));
        HttpResponse<String> fetched = server.get("/v1/responses/" + id, "Authorization", ALICE);
        assertThat(fetched.statusCode()).isEqualTo(404);
        assertThat(tree(fetched.body()).at("/error/message").asText()).contains(id);
        assertThat(delete("/v1/responses/" + id, ALICE).statusCode()).isEqualTo(404);
        assertThat(server.post("/v1/responses", "{\"model\":\"sonnet\",\"previous_response_id\":\"" + id
                + "\",\"input\":\"Hi\"}", "Authorization", ALICE).statusCode()).isEqualTo(400);
    }

    @Test
    void aResponseMadeWithStoreFalseIsNotKept() {
        JsonNode created = create("{\"model\":\"sonnet\",\"input\":\"Hi\",\"store\":false}", ALICE);

        assertThat(created.get("store").asBoolean()).isFalse();
        assertThat(server.get("/v1/responses/" + created.get("id").asText(), "Authorization", ALICE).statusCode())
                .isEqualTo(404);
    }

    @Test
    void streamingAStoredResponseAgainIsRefusedClearly() {
        String id = create("{\"model\":\"sonnet\",\"input\":\"Hi\"}", ALICE).get("id").asText();

        HttpResponse<String> response = server.get("/v1/responses/" + id + "?stream=true", "Authorization", ALICE);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(tree(response.body()).at("/error/param").asText()).isEqualTo("stream");
    }

    @Test
    void onlyAStreamParameterThatSaysTrueAsksForAStream() {
        assertThat(StoredResponsesRoute.streamAsked("stream=true")).isTrue();
        assertThat(StoredResponsesRoute.streamAsked("include=x&stream=1")).isTrue();
        assertThat(StoredResponsesRoute.streamAsked("stream=false")).isFalse();
        assertThat(StoredResponsesRoute.streamAsked("upstream=true")).isFalse();
        assertThat(StoredResponsesRoute.streamAsked(null)).isFalse();
    }

    @Test
    void otherMethodsOnAStoredResponseAre405() {
        HttpResponse<String> response = server.send(server.request("/v1/responses/resp_1", "Authorization", ALICE)
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, DELETE");
    }
}
