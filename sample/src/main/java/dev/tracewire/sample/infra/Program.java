package dev.tracewire.sample.infra;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An external program the sample or its tests run ({@code nats-server}, {@code kcat}), looked up
 * in an environment variable of its own, then on {@code PATH}, then in folders where packages put
 * it without putting it on a user's {@code PATH}.
 *
 * @param name the program's file name
 * @param pathVariable the environment variable that names the program's file, overriding the search
 * @param installHint how to install it, for the message when it is missing
 */
public record Program(String name, String pathVariable, String installHint) {

    /**
     * The program: {@code pathVariable} (which must then name an executable file), else the first
     * executable file of that name in a {@code PATH} entry or in one of {@code fallbackFolders}.
     *
     * @throws IllegalStateException if {@code pathVariable} is set but names no executable file
     */
    public Optional<Path> find(Map<String, String> environment, List<Path> fallbackFolders) {
        String explicit = environment.get(pathVariable);
        if (explicit != null && !explicit.isBlank()) {
            Path path = Paths.get(explicit);
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new IllegalStateException(pathVariable + "=" + explicit
                        + " is not an executable file; unset it or " + installHint);
            }
            return Optional.of(path);
        }
        List<Path> folders = new ArrayList<>();
        for (String entry : environment.getOrDefault("PATH", "").split(Pattern.quote(File.pathSeparator))) {
            if (!entry.isEmpty()) {
                folders.add(Paths.get(entry));
            }
        }
        folders.addAll(fallbackFolders);
        for (Path folder : folders) {
            Path candidate = folder.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The program, as {@link #find} finds it.
     *
     * @param purpose what it is needed for, for the message when it is missing; may be empty
     * @throws IllegalStateException if there is none; the message says where it looked and how to install it
     */
    public Path require(Map<String, String> environment, List<Path> fallbackFolders, String purpose) {
        return find(environment, fallbackFolders).orElseThrow(() -> new IllegalStateException(
                "cannot find the " + name + " program (looked at $" + pathVariable + ", on PATH and in "
                        + fallbackFolders + ")" + (purpose.isEmpty() ? "" : ", " + purpose) + ": " + installHint));
    }
}
