package dev.claudemaxapi.api;

import dev.claudemaxapi.core.ContentBlock;
import dev.claudemaxapi.core.ProxyException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code data:image/png;base64,...} URLs, the only image URLs a local proxy can pass on faithfully. */
public final class DataUrl {
    private DataUrl() {}

    private static final Pattern DATA_URL = Pattern.compile("data:([^;,]+)((?:;[^;,]+)*);base64,(.*)", Pattern.DOTALL);
    public static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

    /** @throws ProxyException (400, naming {@code param}) for anything but a base64 data URL of a supported image */
    public static ContentBlock.Image image(String url, String param) {
        if (url == null) {
            throw ProxyException.invalidParam(param, param + " is required.");
        }
        Matcher matcher = DATA_URL.matcher(url);
        if (!matcher.matches()) {
            throw ProxyException.invalidParam(param,
                    "Only base64 data URLs (data:image/png;base64,...) are supported for images.");
        }
        return image(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(3), param);
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
