package dev.claudemaxapi.engine.cli;

import dev.claudemaxapi.engine.process.CliProcess;
import dev.claudemaxapi.engine.process.CliOutput;
import dev.claudemaxapi.engine.pool.CliSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.core.Turn;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one turn exactly as {@link CliEngine} does and returns the CLI's raw stdout lines: the basis of the recorded
 * fixtures the engine's tests replay, so they can be re-made whenever the pinned CLI version moves.
 */
public final class CliTranscripts {
    private CliTranscripts() {}

    public static List<String> record(String claudeBin, Path workDir, Map<String, String> environment, Turn turn)
            throws InterruptedException, IOException {
        ObjectMapper json = new ObjectMapper();
        CliSettings settings = new CliSettings(claudeBin, workDir, environment, Duration.ofSeconds(60), "", false);
        PromptEncoder prompts = new PromptEncoder(json);
        CliLineParser parser = new CliLineParser(json);
        CliProcess process = CliProcess.start(settings.argv(turn.model(), CliSettings.Priority.FOREGROUND), environment, workDir);
        List<String> lines = new ArrayList<>();
        try {
            process.send(prompts.initializeLine("init", turn.system().orElse(""), java.util.Optional.empty()));
            process.send(prompts.userLine(turn, CliSession.newUuid()));
            while (true) {
                if (!(process.next(Duration.ofSeconds(60)).orElse(CliOutput.END) instanceof CliOutput.Line line)) {
                    break;
                }
                lines.add(line.text());
                if (parser.parse(line.text()) instanceof CliLine.Result) {
                    break;
                }
            }
        } finally {
            process.closeInput();
            if (!process.waitFor(Duration.ofSeconds(5))) {
                process.kill();
            }
        }
        return lines;
    }
}
