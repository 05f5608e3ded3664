package dev.claudemaxapi.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the server's own log says about the soak: the statuses of its API requests, its warnings and errors. */
record ServerLog(Map<Integer, Long> statuses, long warnings, long severe, List<String> firstSevere) {
    private static final Pattern STATUS = Pattern.compile(" INFO POST /v1/\\S+ status=(\\d+) ");
    private static final int SEVERE_KEPT = 5;

    static ServerLog read(Path log) throws IOException {
        Map<Integer, Long> statuses = new TreeMap<>();
        long warnings = 0;
        long severe = 0;
        List<String> firstSevere = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher status = STATUS.matcher(line);
            if (status.find()) {
                statuses.merge(Integer.parseInt(status.group(1)), 1L, Long::sum);
            } else if (line.contains(" WARNING ")) {
                warnings++;
            } else if (line.contains(" SEVERE ") && severe++ < SEVERE_KEPT) {
                firstSevere.add(line);
            }
        }
        return new ServerLog(statuses, warnings, severe, firstSevere);
    }
}
