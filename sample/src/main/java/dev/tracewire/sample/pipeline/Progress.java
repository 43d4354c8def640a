package dev.tracewire.sample.pipeline;

import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * One line that says how far the run is. On a terminal it is redrawn in place (a carriage return, at
 * most five times a second); elsewhere (Maven's exec plugin, a pipe, a CI log), where a carriage
 * return would pile every update onto one line that appears at the end, a new line is printed at
 * most every two seconds. {@link #finish(String)} draws the last state.
 */
public final class Progress {

    private static final long TERMINAL_INTERVAL_NANOS = 200_000_000L;
    private static final long LOG_INTERVAL_NANOS = 2_000_000_000L;

    private final PrintStream out;
    private final boolean inPlace;
    private long lastDrawn;
    private int lastLength;

    /**
     * @param inPlace whether {@code out} is a terminal, where the line can be redrawn in place
     */
    public Progress(PrintStream out, boolean inPlace) {
        this.out = out;
        this.inPlace = inPlace;
    }

    /** Whether this JVM's standard output is a terminal: a console on JDK 17 to 21, a terminal one after. */
    public static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try { // JDK 22 and later hand out a console for a redirected output too, and say so here
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Redraws the line with what {@code line} says, unless it was drawn less than 200 ms ago. */
    void update(Supplier<String> line) {
        long now = System.nanoTime();
        if (lastDrawn != 0 && now - lastDrawn < (inPlace ? TERMINAL_INTERVAL_NANOS : LOG_INTERVAL_NANOS)) {
            return;
        }
        lastDrawn = now;
        draw(line.get());
    }

    /** Draws the line one last time and ends it. */
    void finish(String line) {
        draw(line);
        if (inPlace) {
            out.println();
        }
        lastLength = 0;
    }

    private void draw(String line) {
        if (!inPlace) {
            out.println(line);
            return;
        }
        String padding = " ".repeat(Math.max(0, lastLength - line.length()));
        out.print("\r" + line + padding);
        out.flush();
        lastLength = line.length();
    }
}
