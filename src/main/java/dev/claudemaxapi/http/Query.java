package dev.claudemaxapi.http;

import dev.claudemaxapi.core.ProxyException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A request's query string as names and values, decoded; a name given twice keeps its last value. */
final class Query {
    private Query() {}

    /** @throws ProxyException (400) for a query that does not decode, such as {@code %zz} */
    static Map<String, String> parse(String rawQuery) {
        Map<String, String> values = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if (!name.isEmpty()) {
                try {
                    values.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
                            URLDecoder.decode(value, StandardCharsets.UTF_8));
                } catch (IllegalArgumentException malformed) {
                    throw ProxyException.invalid("The query string is not well formed: " + malformed.getMessage());
                }
            }
        }
        return values;
    }
}
