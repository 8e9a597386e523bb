package io.mcpgw.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpgw.server.jsonrpc.JsonRpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one run of the conformance suite found, scenario by scenario: the checks it saved for each scenario
 * ({@code server-<scenario>-<timestamp>/checks.json} in its output directory) and, for a scenario that threw before it
 * saved any, the one failing check named after the scenario that the suite counts for it (it says so in its console
 * output); and how the run compares with another.
 */
public record ConformanceResults(SortedMap<String, List<ConformanceCheck>> scenarios) {

    private static final Pattern RESULT_DIRECTORY = Pattern.compile("server-(.+)-\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z");
    private static final Pattern RUNNING = Pattern.compile("=== Running scenario: (\\S+) ===");
    private static final Pattern FAILED_TO_RUN = Pattern.compile("Failed to run scenario (\\S+): (.*)");
    private static final int ABSENT = -1;

    /** Reads the results the suite saved under {@code directory} (its {@code -o}) and the console output it wrote to {@code log}. */
    public static ConformanceResults read(Path directory, Path log) throws IOException {
        SortedMap<String, List<ConformanceCheck>> scenarios = new TreeMap<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path entry : entries.sorted().toList()) {
                Matcher name = RESULT_DIRECTORY.matcher(entry.getFileName().toString());
                if (!name.matches() || !Files.isRegularFile(entry.resolve("checks.json"))) {
                    continue;
                }
                List<ConformanceCheck> checks = new ArrayList<>();
                for (JsonNode check : JsonRpc.MAPPER.readTree(entry.resolve("checks.json").toFile())) {
                    checks.add(new ConformanceCheck(check.path("id").asText(), check.path("status").asText(),
                            check.path("errorMessage").asText("")));
                }
                if (scenarios.put(name.group(1), List.copyOf(checks)) != null) {
                    throw new IOException(directory + " holds two results for " + name.group(1));
                }
            }
        }
        Map<String, String> thrown = new TreeMap<>();
        List<String> announced = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher running = RUNNING.matcher(line);
            Matcher failed = FAILED_TO_RUN.matcher(line);
            if (running.matches()) {
                announced.add(running.group(1));
            } else if (failed.matches()) {
                thrown.put(failed.group(1), failed.group(2));
            }
        }
        for (String scenario : announced) {
            scenarios.computeIfAbsent(scenario, unsaved -> List.of(new ConformanceCheck(unsaved, "FAILURE",
                    thrown.getOrDefault(unsaved, "the suite saved no results for it"))));
        }
        return new ConformanceResults(scenarios);
    }

    /** Whether the scenario ran and no check of it failed. */
    public boolean passed(String scenario) {
        List<ConformanceCheck> checks = scenarios.get(scenario);
        return checks != null && checks.stream().noneMatch(check -> check.severity() == 2);
    }

    /**
     * Where this run did worse than {@code baseline} in {@code scenario}, by check id: a check that did better there
     * and worse or not at all here, or a check failing or warning here that the baseline did not have; each with a
     * line saying how. A check id the suite repeats counts as its worst occurrence, as the suite's own baselines count it.
     */
    public SortedMap<String, String> worseThan(ConformanceResults baseline, String scenario) {
        Map<String, Integer> here = worst(scenarios.getOrDefault(scenario, List.of()));
        Map<String, Integer> there = worst(baseline.scenarios.getOrDefault(scenario, List.of()));
        SortedMap<String, String> worse = new TreeMap<>();
        TreeSet<String> ids = new TreeSet<>(here.keySet());
        ids.addAll(there.keySet());
        for (String id : ids) {
            int now = here.getOrDefault(id, ABSENT);
            int before = there.getOrDefault(id, ABSENT);
            if (now == ABSENT ? before == 0 || before == 1 : now > Math.max(before, 0)) {
                worse.put(id, scenario + " / " + id + ": " + describe(before) + " directly, " + describe(now) + " here" + messages(scenario, id));
            }
        }
        return worse;
    }

    private String messages(String scenario, String id) {
        List<String> messages = scenarios.getOrDefault(scenario, List.of()).stream()
                .filter(check -> check.id().equals(id) && !check.errorMessage().isEmpty()).map(ConformanceCheck::errorMessage).distinct().toList();
        return messages.isEmpty() ? "" : " (" + String.join("; ", messages) + ")";
    }

    private static Map<String, Integer> worst(List<ConformanceCheck> checks) {
        Map<String, Integer> worst = new TreeMap<>();
        checks.stream().filter(check -> check.severity() >= 0).forEach(check -> worst.merge(check.id(), check.severity(), Math::max));
        return worst;
    }

    private static String describe(int severity) {
        return switch (severity) {
            case 0 -> "succeeds";
            case 1 -> "warns";
            case 2 -> "fails";
            default -> "absent";
        };
    }
}
