package dev.tracewire.processor.read;

import dev.tracewire.processor.model.ParameterKind;
import java.util.Optional;
import javax.lang.model.type.TypeMirror;

/**
 * A method parameter, classified once: what part of the message it binds.
 *
 * @param name its name
 * @param type its type, resolved against the annotated interface
 * @param kind the part of the message it binds
 * @param headerName the header name of a header parameter; empty for the others
 */
record ClassifiedParameter(String name, TypeMirror type, ParameterKind kind, Optional<String> headerName) {
}
