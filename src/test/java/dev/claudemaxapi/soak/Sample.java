package dev.claudemaxapi.soak;

import dev.claudemaxapi.bench.ServerProcess;
import java.io.IOException;

/** The server's resources at one moment of the soak. {@code phase} is "warm-up", "baseline", "" or "end". */
record Sample(long seconds, String phase, double serverRssMiB, double cliRssMiB, long claudeProcesses, long threads,
        long openFiles) {

    static Sample of(ServerProcess server, long seconds, String phase) throws IOException {
        return new Sample(seconds, phase, server.rssMiB(), server.childrenRssMiB(), server.claudeProcesses().size(),
                server.threads(), server.openFiles());
    }
}
