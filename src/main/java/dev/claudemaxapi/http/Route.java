package dev.claudemaxapi.http;

import java.io.IOException;

/** Answers one kind of request. Must send exactly one response, or throw before sending anything. */
@FunctionalInterface
interface Route {
    void handle(HttpCall call) throws IOException, InterruptedException;
}
