package dev.claudemaxapi.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudemaxapi.api.Json;
import dev.claudemaxapi.core.ProxyException;
import dev.claudemaxapi.store.UsageStore;
import dev.claudemaxapi.store.UsageTotal;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /usage?since=&until=&group_by=day|hour|model|key}: the usage history's totals, from the database, so
 * they survive restarts. {@code since} and {@code until} are instants ({@code 2026-12-02T10:00:00Z}), dates (UTC
 * midnight) or epoch seconds; by default the last 30 days. Behind the API key like the API.
 */
final class UsageRoute implements Route {
    static final Duration DEFAULT_SPAN = Duration.ofDays(30);

    /** @param since the window's start, ISO-8601 */
    record UsageReport(String since, String until, @JsonProperty("group_by") String groupBy, List<Row> groups,
            Row total) {}

    record Row(String group, long requests, long errors, @JsonProperty("input_tokens") long inputTokens,
            @JsonProperty("output_tokens") long outputTokens,
            @JsonProperty("cache_read_input_tokens") long cacheReadInputTokens,
            @JsonProperty("cache_creation_input_tokens") long cacheCreationInputTokens,
            @JsonProperty("cost_usd") double costUsd) {
        static Row of(UsageTotal total) {
            return new Row(total.group(), total.requests(), total.errors(), total.inputTokens(),
                    total.outputTokens(), total.cacheReadTokens(), total.cacheWriteTokens(), total.costUsd());
        }
    }

    private final ObjectMapper json;
    private final UsageStore usage;
    private final Clock clock;

    UsageRoute(ObjectMapper json, UsageStore usage, Clock clock) {
        this.json = json;
        this.usage = usage;
        this.clock = clock;
    }

    @Override
    public void handle(HttpCall call) throws IOException {
        Map<String, String> query = Query.parse(call.exchange.getRequestURI().getRawQuery());
        Instant until = query.containsKey("until") ? instant(query.get("until"), "until") : clock.instant();
        Instant since = query.containsKey("since") ? instant(query.get("since"), "since")
                : until.minus(DEFAULT_SPAN);
        if (!since.isBefore(until)) {
            throw ProxyException.invalidParam("since", "'since' must be before 'until'.");
        }
        UsageStore.GroupBy groupBy = groupBy(query.getOrDefault("group_by", "none"));
        List<Row> groups = usage.totals(since, until, groupBy).stream().map(Row::of).toList();
        Row total = usage.totals(since, until, UsageStore.GroupBy.NONE).stream().map(Row::of).findFirst()
                .orElse(new Row("all", 0, 0, 0, 0, 0, 0, 0));
        call.sendJson(200, Json.write(json, new UsageReport(since.toString(), until.toString(),
                groupBy.name().toLowerCase(Locale.ROOT), groups, total)));
    }

    private static UsageStore.GroupBy groupBy(String name) {
        return switch (name) {
            case "none" -> UsageStore.GroupBy.NONE;
            case "day" -> UsageStore.GroupBy.DAY;
            case "hour" -> UsageStore.GroupBy.HOUR;
            case "model" -> UsageStore.GroupBy.MODEL;
            case "key" -> UsageStore.GroupBy.KEY;
            default -> throw ProxyException.invalidParam("group_by", "'group_by' must be day, hour, model or key.");
        };
    }

    /** An instant, a date (its UTC midnight), or epoch seconds. */
    static Instant instant(String value, String param) {
        try {
            if (value.matches("\\d{1,12}")) {
                return Instant.ofEpochSecond(Long.parseLong(value));
            }
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProxyException.invalidParam(param, "'" + param + "' must be an instant such as"
                    + " 2026-12-02T10:00:00Z, a date such as 2026-12-02, or epoch seconds.");
        }
    }
}
