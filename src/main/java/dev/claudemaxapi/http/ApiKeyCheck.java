package dev.claudemaxapi.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Checks a client's key, sent as {@code Authorization: Bearer} (every official SDK does, Anthropic's included) or as
 * {@code x-api-key}. Keys are compared as SHA-256 digests with {@link MessageDigest#isEqual}, so the time taken says
 * nothing about how much of a key was right, nor about its length.
 */
final class ApiKeyCheck {
    private final List<byte[]> keyDigests;

    ApiKeyCheck(List<String> keys) {
        this.keyDigests = keys.stream().map(ApiKeyCheck::digest).toList();
    }

    boolean enabled() {
        return !keyDigests.isEmpty();
    }

    boolean allows(String authorization, String xApiKey) {
        if (!enabled()) {
            return true;
        }
        String presented = xApiKey;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        }
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] digest = digest(presented);
        boolean match = false;
        for (byte[] key : keyDigests) {
            match |= MessageDigest.isEqual(key, digest);
        }
        return match;
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
