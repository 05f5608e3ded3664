package dev.claudemaxapi.http;

import java.util.Objects;

/**
 * A key clients may present, and the operator's name for it. The key itself never leaves this record: it prints
 * masked, and logs, usage and metrics say the name.
 */
public record ApiKey(String name, String key) {
    public ApiKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        if (key.isBlank()) {
            throw new IllegalArgumentException("an API key cannot be blank");
        }
    }

    /** A key given without a name (on the command line): named by its place, {@code key-1}, {@code key-2}... */
    public static ApiKey unnamed(int position, String key) {
        return new ApiKey("key-" + position, key);
    }

    /** The key as it may be shown: its last four characters, if it is long enough to spare them. */
    public String masked() {
        return key.length() >= 16 ? "****" + key.substring(key.length() - 4) : "****";
    }

    @Override
    public String toString() {
        return "ApiKey[name=" + name + ", key=" + masked() + "]";
    }
}
