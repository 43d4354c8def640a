package dev.tracewire.runtime.nats.internal;

import java.util.Objects;

/**
 * A subscribed NATS subject, compiled once per route: {@code *} matches exactly one token, a final
 * {@code >} one or more. Matching walks the received subject in place, so a message costs no
 * allocation, and a subject without wildcards is compared with {@code equals}.
 */
final class SubjectPattern {

    private static final String ONE = "*";
    private static final String REST = ">";

    private final String pattern;
    /** The tokens of a wildcard pattern; {@code null} for a literal subject. */
    private final String[] tokens;

    private SubjectPattern(String pattern, String[] tokens) {
        this.pattern = pattern;
        this.tokens = tokens;
    }

    static SubjectPattern compile(String pattern) {
        String[] tokens = Objects.requireNonNull(pattern, "pattern").split("\\.", -1);
        for (String token : tokens) {
            if (token.equals(ONE) || token.equals(REST)) {
                return new SubjectPattern(pattern, tokens);
            }
        }
        return new SubjectPattern(pattern, null);
    }

    String pattern() {
        return pattern;
    }

    boolean isWildcard() {
        return tokens != null;
    }

    boolean matches(String subject) {
        if (tokens == null) {
            return pattern.equals(subject);
        }
        int length = subject.length();
        int start = 0; // where the subject's next token starts; length + 1 once every token is consumed
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (token.equals(REST)) {
                return i == tokens.length - 1 && start <= length;
            }
            if (start > length) {
                return false;
            }
            int end = subject.indexOf('.', start);
            if (end < 0) {
                end = length;
            }
            if (!token.equals(ONE)
                    && (token.length() != end - start || !subject.regionMatches(start, token, 0, token.length()))) {
                return false;
            }
            start = end + 1;
        }
        return start == length + 1;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
