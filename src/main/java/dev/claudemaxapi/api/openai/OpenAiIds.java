package dev.claudemaxapi.api.openai;

import java.util.UUID;

final class OpenAiIds {
    private OpenAiIds() {}

    static String chatCompletion() {
        return "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    }

    static String textCompletion() {
        return "cmpl-" + UUID.randomUUID().toString().replace("-", "");
    }
}
