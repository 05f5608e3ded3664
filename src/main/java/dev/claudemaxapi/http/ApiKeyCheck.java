package dev.claudemaxapi.http;

import dev.claudemaxapi.core.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Checks a client's key, sent as {@code Authorization: Bearer} (every official SDK does, Anthropic's included) or as
 * {@code x-api-key}. Keys are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken says
 * nothing about how much of a key was right, nor about its length.
 */
final class ApiKeyCheck {
    private record Known(byte[] digest, String name) {}

    private final List<Known> known;

    ApiKeyCheck(List<ApiKey> keys) {
        this.known = keys.stream().map(key -> new Known(digest(key.key()), key.name())).toList();
    }

    boolean enabled() {
        return !known.isEmpty();
    }

    /**
     * @return who presented the key (a digest of it, so logs and stored state never hold the key), {@link
     *     Caller#ANONYMOUS} when no keys are configured, or empty when the key is missing or wrong
     */
    Optional<Caller> caller(String authorization, String xApiKey) {
        if (!enabled()) {
            return Optional.of(Caller.ANONYMOUS);
        }
        String presented = xApiKey;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = digest(presented);
        // every key is compared, whichever matches, so the time taken does not say which one did
        Known match = null;
        for (Known key : known) {
            if (MessageDigest.isEqual(key.digest(), digest)) {
                match = key;
            }
        }
        return match == null ? Optional.empty()
                : Optional.of(new Caller("key-" + HexFormat.of().formatHex(digest, 0, 8), match.name()));
    }

    boolean allows(String authorization, String xApiKey) {
        return caller(authorization, xApiKey).isPresent();
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
