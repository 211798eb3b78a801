package dev.quorum.stack;

import java.util.Locale;

/**
 * Which servers the test extensions hand out, chosen by the system property {@value #PROPERTY}:
 * {@code embedded}, {@code testcontainers} or {@code auto} (the default: Testcontainers when a
 * Docker engine answers, embedded otherwise).
 */
public enum StackMode {
    EMBEDDED,
    TESTCONTAINERS,
    AUTO;

    public static final String PROPERTY = "quorum.stack";

    public static StackMode parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "embedded" -> EMBEDDED;
            case "testcontainers" -> TESTCONTAINERS;
            case "auto" -> AUTO;
            default -> throw new IllegalArgumentException(
                    PROPERTY + " must be one of embedded, testcontainers, auto; was '" + value + "'");
        };
    }

    /** The mode asked for by the system property. */
    public static StackMode requested() {
        return parse(System.getProperty(PROPERTY));
    }
}
