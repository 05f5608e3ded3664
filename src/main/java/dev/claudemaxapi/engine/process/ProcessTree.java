package dev.claudemaxapi.engine.process;

import java.util.List;

/** Ends a process and everything it started. */
public final class ProcessTree {
    private ProcessTree() {}

    public static void kill(Process process) {
        // Collect the children first: once the parent is gone they are re-parented and no longer its descendants.
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }
}
