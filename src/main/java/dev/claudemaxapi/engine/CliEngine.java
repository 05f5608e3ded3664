package dev.claudemaxapi.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.core.Engine;
import dev.claudemaxapi.core.EngineInfo;
import dev.claudemaxapi.core.EventStream;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.core.Turn;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Runs each turn in a fresh {@code claude} process. */
public final class CliEngine implements Engine {
    private static final Logger LOG = Logger.getLogger(CliEngine.class.getName());
    /** How long a finished CLI may take to exit on its own after stdin closes before it is killed. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(2);

    private final CliSettings settings;
    private final String cliVersion;
    private final PromptEncoder prompts;
    private final CliLineParser parser;
    private final Set<CliProcess> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong spawned = new AtomicLong();

    public CliEngine(CliSettings settings, String cliVersion, ObjectMapper json) {
        this.settings = settings;
        this.cliVersion = cliVersion;
        this.prompts = new PromptEncoder(json);
        this.parser = new CliLineParser(json);
    }

    @Override
    public EventStream start(Turn turn) {
        String userLine = prompts.userLine(turn);
        CliProcess process = CliProcess.start(settings.argv(turn.model()), settings.environment(), settings.workDir());
        spawned.incrementAndGet();
        running.add(process);
        try {
            // The system prompt goes on stdin, never on argv: an empty one keeps the CLI's own agent prompt out.
            process.send(prompts.initializeLine("init", turn.system().orElse("")));
            process.send(userLine);
        } catch (ProxyException e) {
            process.kill();
            running.remove(process);
            throw e;
        }
        return new CliEventStream(process, new TurnTranslator(turn.model()), parser, settings.stallTimeout(),
                () -> reap(process));
    }

    /** Lets a finished process exit on its own, in the background, and kills it if it does not. */
    private void reap(CliProcess process) {
        Thread.ofVirtual().name("cli-reap-" + process.pid()).start(() -> {
            try {
                if (!process.waitFor(EXIT_GRACE)) {
                    LOG.fine(() -> "claude " + process.pid() + " did not exit after its turn; killing it");
                    process.kill();
                }
            } catch (InterruptedException e) {
                process.kill();
            } finally {
                running.remove(process);
            }
        });
    }

    @Override
    public EngineInfo info() {
        return new EngineInfo(settings.claudeBin(), cliVersion,
                Map.of("spawned", spawned.get(), "processes", (long) running.size()));
    }

    @Override
    public void close() {
        for (CliProcess process : running) {
            LOG.log(Level.INFO, "stopping claude {0}", process.pid());
            process.kill();
        }
        running.clear();
    }

}
