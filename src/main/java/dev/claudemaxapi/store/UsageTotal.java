package dev.claudemaxapi.store;

/**
 * The usage of a group of requests: a day, an hour, a model or a caller.
 *
 * @param group       what the requests share: {@code 2026-12-02}, {@code 2026-12-02T13:00}, a model, a caller, or
 *                    {@code all}
 * @param errors      requests answered with a status of 400 or more
 * @param inputTokens uncached input tokens; cache reads and writes are counted apart
 * @param costUsd     the summed cost the CLI reported
 */
public record UsageTotal(String group, long requests, long errors, long inputTokens, long outputTokens,
        long cacheReadTokens, long cacheWriteTokens, double costUsd) {}
