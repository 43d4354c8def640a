package dev.tracewire.processor.system;

import dev.tracewire.processor.diag.Reporter;
import dev.tracewire.processor.write.ClassStamp;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * What a messaging system is built with: javac's utilities and the reporter to read methods, the
 * stamp every generated class starts with.
 */
public record SystemTools(Elements elements, Types types, Reporter reporter, ClassStamp stamp) {
}
