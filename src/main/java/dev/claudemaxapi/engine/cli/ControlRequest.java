package dev.claudemaxapi.engine.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One control request to the CLI, {@code {"type":"control_request","request_id":…,"request":{"subtype":…}}}: the
 * caller adds the request's fields to {@link #request()} and writes {@link #line()}.
 */
record ControlRequest(ObjectNode line, ObjectNode request) {

    static ControlRequest of(ObjectMapper json, String requestId, String subtype) {
        ObjectNode line = json.createObjectNode();
        line.put("type", "control_request");
        line.put("request_id", requestId);
        ObjectNode request = line.putObject("request");
        request.put("subtype", subtype);
        return new ControlRequest(line, request);
    }
}
