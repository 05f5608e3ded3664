package dev.claudemaxapi.api.anthropic;

/**
 * Whether thinking blocks go to the client. The API returns them only to a request whose {@code thinking} turned
 * thinking on; the CLI's models may think anyway (adaptive thinking), and a client that did not ask would get content
 * it does not expect (LangChain, for one, then turns a plain text answer into a list of blocks).
 */
public enum ThinkingBlocks {
    SHOWN,
    HIDDEN
}
