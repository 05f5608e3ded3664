package dev.claudemaxapi.engine.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** A process's resident memory, from {@code /proc}; nothing where there is no {@code /proc}. */
public interface ProcessMemory {

    OptionalLong residentBytes(long pid);

    /** Reads {@code VmRSS} of {@code /proc/<pid>/status}: a few microseconds, once per turn. */
    static ProcessMemory proc() {
        return pid -> {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        String kilobytes = line.substring("VmRSS:".length()).replace("kB", "").trim();
                        return OptionalLong.of(Long.parseLong(kilobytes) * 1024);
                    }
                }
            } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
                // gone, or not Linux: nothing to measure
            }
            return OptionalLong.empty();
        };
    }
}
