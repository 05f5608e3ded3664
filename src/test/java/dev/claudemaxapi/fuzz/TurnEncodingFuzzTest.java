package dev.claudemaxapi.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.api.anthropic.MessagesRequestDecoder;
import dev.claudemaxapi.api.openai.ChatRequestDecoder;
import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ModelCatalog;
import dev.claudemaxapi.core.PlanLimits;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Turn;
import dev.claudemaxapi.engine.CliEngine;
import dev.claudemaxapi.engine.cli.CliSettings;
import dev.claudemaxapi.engine.pool.PoolSettings;
import dev.claudemaxapi.fuzz.JsonMutations.Body;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * What the CLI engine does with a request before it takes a process: it writes the turn as the CLI's stdin lines,
 * parsing tool call arguments and inputs as JSON again, and fingerprints the conversation. For any body a decoder
 * accepts, that either refuses the request with a 4xx or gets as far as starting the CLI (here an executable that
 * does not exist, so nothing runs), and never fails in another way. The HTTP properties run over a scripted engine,
 * which does none of this.
 */
@AddLifecycleHook(FuzzBudget.class)
class TurnEncodingFuzzTest {
    private static final ObjectMapper JSON = Json.mapper();
    private static final ModelCatalog CATALOG = new ModelCatalog(Map.of());
    private static Path workDir;
    private static CliEngine engine;

    @BeforeContainer
    static void startEngine() throws IOException {
        workDir = Files.createTempDirectory("fuzz-engine");
        CliSettings settings = new CliSettings(workDir.resolve("no-such-claude").toString(), workDir, Map.of(),
                Duration.ofSeconds(5), "", false);
        // a pool with no warm spares: requests that continue a conversation are looked up (encoding the follow-up
        // and the conversation's fingerprint) without any process being started in the background
        PoolSettings pool = new PoolSettings(1, 0, Duration.ofMinutes(1), Duration.ofHours(1), 100, PoolSettings.DEFAULT_MAX_GROWTH_BYTES, PoolSettings.Recycling.OFF, PoolSettings.DEFAULT_TOOL_WAIT);
        engine = new CliEngine(settings, "test", JSON, pool, () -> false, Clock.systemUTC(),
                new PlanLimits(Clock.systemUTC()));
    }

    @AfterContainer
    static void stopEngine() throws IOException {
        engine.close();
        Files.deleteIfExists(workDir);
    }

    @Property
    void anyDecodedChatRequestIsEncodedForTheCliOrRefusedWithA4xx(@ForAll("chatBodies") Body body) {
        startsOrRefuses(decoded(() -> new ChatRequestDecoder(JSON, CATALOG).decode(body.bytes()).turn()), body);
    }

    @Property
    void anyDecodedMessagesRequestIsEncodedForTheCliOrRefusedWithA4xx(@ForAll("messagesBodies") Body body) {
        startsOrRefuses(decoded(() -> new MessagesRequestDecoder(JSON, CATALOG).decode(body.bytes(),
                MessagesRequestDecoder.Endpoint.MESSAGES).turn()), body);
    }

    /**
     * The turn a decoder makes of the body. A body it refuses is not this property's concern, nor one it fails on
     * otherwise: the HTTP properties report that.
     */
    private static Turn decoded(Supplier<Turn> decoder) {
        try {
            return decoder.get();
        } catch (RuntimeException | StackOverflowError notAccepted) {
            Assume.that(false);
            throw new AssertionError("not reached");
        }
    }

    private static void startsOrRefuses(Turn turn, Body body) {
        try {
            engine.start(turn).close();
            throw new AssertionError("a CLI that does not exist answered\nrequest: " + body);
        } catch (ProxyException failure) {
            boolean refused = failure.status() >= 400 && failure.status() < 500;
            boolean reachedTheCli = failure.kind() == ErrorKind.UNAVAILABLE
                    && failure.getMessage().startsWith("The Claude CLI could not be started");
            if (!refused && !reachedTheCli) {
                throw new AssertionError("failed with " + failure.status() + " " + failure.getMessage()
                        + "\nrequest: " + body, failure);
            }
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError crash) {
            throw new AssertionError("crashed\nrequest: " + body + "\n" + FuzzServer.shortTrace(crash), crash);
        }
    }

    @Provide
    Arbitrary<Body> chatBodies() {
        return Arbitraries.oneOf(JsonMutations.unchanged(RequestBodies.chatRequests()),
                JsonMutations.mutated(RequestBodies.chatRequests()));
    }

    @Provide
    Arbitrary<Body> messagesBodies() {
        return Arbitraries.oneOf(JsonMutations.unchanged(RequestBodies.messagesRequests()),
                JsonMutations.mutated(RequestBodies.messagesRequests()));
    }
}
