package dev.claudemaxapi.api;

import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.ProxyException;
import java.util.Locale;
import java.util.Set;

/** Reads {@code data:image/png;base64,...} URLs, the only image URLs a local proxy can pass on faithfully. */
public final class DataUrl {
    private DataUrl() {}

    public static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");
    private static final String PREFIX = "data:";
    private static final String BASE64 = ";base64";

    /**
     * @throws ProxyException (400, naming {@code param}) for anything but a base64 data URL of a supported image.
     *     Read by hand, not by a regular expression: a pattern with a repeated group recurses once per parameter, and
     *     a URL with thousands of {@code ;a=1} parameters would overflow the stack.
     */
    public static ContentBlock.Image image(String url, String param) {
        if (url == null) {
            throw ProxyException.invalidParam(param, param + " is required.");
        }
        int comma = url.indexOf(',');
        String header = comma < 0 ? "" : url.substring(0, comma);
        if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || !header.regionMatches(true, header.length() - BASE64.length(), BASE64, 0, BASE64.length())) {
            throw ProxyException.invalidParam(param,
                    "Only base64 data URLs (data:image/png;base64,...) are supported for images.");
        }
        int parameters = header.indexOf(';', PREFIX.length());
        String mediaType = header.substring(PREFIX.length(), parameters).trim().toLowerCase(Locale.ROOT);
        return image(mediaType, url.substring(comma + 1), param);
    }

    /** @throws ProxyException (400) for an unsupported media type */
    public static ContentBlock.Image image(String mediaType, String base64, String param) {
        if (!IMAGE_TYPES.contains(mediaType)) {
            throw ProxyException.invalidParam(param, "Unsupported image type '" + mediaType + "'; use one of "
                    + String.join(", ", IMAGE_TYPES.stream().sorted().toList()) + ".");
        }
        if (base64 == null || base64.isEmpty()) {
            throw ProxyException.invalidParam(param, "The image data is empty.");
        }
        return new ContentBlock.Image(mediaType, base64);
    }
}
