package dev.tracewire.runtime.nats;

/** NATS subject matching: {@code *} matches one token, a final {@code >} one or more. */
final class SubjectPattern {

    private SubjectPattern() {
    }

    static boolean isWildcard(String pattern) {
        for (String token : pattern.split("\\.", -1)) {
            if (token.equals("*") || token.equals(">")) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(String pattern, String subject) {
        String[] wanted = pattern.split("\\.", -1);
        String[] actual = subject.split("\\.", -1);
        for (int i = 0; i < wanted.length; i++) {
            if (wanted[i].equals(">")) {
                return i == wanted.length - 1 && actual.length > i;
            }
            if (i >= actual.length || !(wanted[i].equals("*") || wanted[i].equals(actual[i]))) {
                return false;
            }
        }
        return wanted.length == actual.length;
    }
}
