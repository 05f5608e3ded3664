package dev.claudemaxapi.http;

import dev.claudemaxapi.core.ErrorKind;
import dev.claudemaxapi.core.ProxyException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Exact-path routing (the JDK server matches contexts by prefix, so paths are checked here). A path pattern may end
 * in {@code {id}}, which matches one non-empty segment.
 */
final class Router {
    private record Entry(String method, String pattern, Route route) {}

    private final List<Entry> entries = new ArrayList<>();

    Router add(String method, String pattern, Route route) {
        entries.add(new Entry(method, pattern, route));
        return this;
    }

    /** @throws ProxyException 404 for an unknown path, 405 for a known path with another method */
    Route find(String method, String path) {
        boolean pathKnown = false;
        for (Entry entry : entries) {
            if (matches(entry.pattern(), path)) {
                pathKnown = true;
                if (entry.method().equals(method)) {
                    return entry.route();
                }
            }
        }
        if (pathKnown) {
            throw new ProxyException(ErrorKind.METHOD_NOT_ALLOWED, "Method " + method + " is not allowed on " + path + ".");
        }
        throw new ProxyException(ErrorKind.NOT_FOUND, "No such endpoint: " + method + " " + path + ".");
    }

    /** The pattern a path matches, whatever the method. */
    Optional<String> pattern(String path) {
        return entries.stream().map(Entry::pattern).filter(pattern -> matches(pattern, path)).findFirst();
    }

    /** The methods a path accepts, for the Allow header of a 405. */
    String allowed(String path) {
        return String.join(", ", entries.stream().filter(e -> matches(e.pattern(), path)).map(Entry::method)
                .distinct().toList());
    }

    static boolean matches(String pattern, String path) {
        if (pattern.endsWith("/{id}")) {
            String prefix = pattern.substring(0, pattern.length() - "{id}".length());
            return path.startsWith(prefix) && path.length() > prefix.length()
                    && path.indexOf('/', prefix.length()) < 0;
        }
        return pattern.equals(path);
    }

    /** The {@code {id}} segment of a matched path. */
    static String id(String path) {
        return URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1),
                StandardCharsets.UTF_8);
    }
}
