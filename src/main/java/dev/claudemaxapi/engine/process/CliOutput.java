package dev.claudemaxapi.engine.process;

/** What a CLI process's stdout gives its reader: a line, or the end of its output. */
public sealed interface CliOutput {
    /** One non-blank NDJSON line, without its line break. */
    record Line(String text) implements CliOutput {}

    /** Stdout is closed: the process has exited or is about to; nothing follows. */
    record End() implements CliOutput {}

    CliOutput END = new End();
}
