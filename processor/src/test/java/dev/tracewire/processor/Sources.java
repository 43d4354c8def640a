package dev.tracewire.processor;

import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;

/** Test inputs and golden files, kept as files under {@code src/test/resources}. */
final class Sources {

    /** Where the goldens live in the source tree, so that they can be rewritten. */
    static final Path RESOURCES = Path.of(System.getProperty("tracewire.goldens", "src/test/resources"));

    private Sources() {
    }

    /** The Java files of folder {@code group/name}, as compilation inputs. */
    static List<JavaFileObject> inputs(String group, String name) {
        try (Stream<Path> files = Files.list(RESOURCES.resolve(group).resolve(name))) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().map(Sources::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> folders(String group) {
        try (Stream<Path> folders = Files.list(RESOURCES.resolve(group))) {
            return folders.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JavaFileObject read(Path file) {
        try {
            String text = Files.readString(file);
            String packageName = text.startsWith("package ")
                    ? text.substring("package ".length(), text.indexOf(';')) : "";
            String simpleName = file.getFileName().toString().replace(".java", "");
            String qualified = packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
            return JavaFileObjects.forSourceString(qualified, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
