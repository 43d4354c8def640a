package dev.tracewire.sample.infra;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Temporary folders for the broker launchers. */
final class TempDirs {

    private TempDirs() {
    }

    static Path create(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    /** Deletes a folder tree; a folder that is already gone is fine. */
    static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null && !(exc instanceof NoSuchFileException)) {
                    throw exc;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Deletes a folder tree and records a failure to do so on {@code failure} (creating it if
     * null). Returns {@code failure}, or the new exception, or null when all went well.
     */
    static IllegalStateException deleteQuietly(Path root, IllegalStateException failure) {
        try {
            delete(root);
            return failure;
        } catch (IOException e) {
            if (failure == null) {
                return new IllegalStateException("cannot delete " + root, e);
            }
            failure.addSuppressed(e);
            return failure;
        }
    }
}
