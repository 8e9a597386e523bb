package io.mcpgw.testkit;

/**
 * One check of a conformance scenario as the suite wrote it in {@code checks.json}: its id, its status
 * ({@code SUCCESS}, {@code WARNING}, {@code FAILURE}, or {@code INFO} and {@code SKIPPED}, which judge nothing) and
 * the suite's message for a check that did not succeed.
 */
public record ConformanceCheck(String id, String status, String errorMessage) {

    /** How bad its status is: 0 success, 1 warning, 2 failure; -1 for a check that judges nothing. */
    public int severity() {
        return switch (status) {
            case "SUCCESS" -> 0;
            case "WARNING" -> 1;
            case "FAILURE" -> 2;
            default -> -1;
        };
    }
}
