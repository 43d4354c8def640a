package dev.tracewire.processor.read;

import dev.tracewire.processor.model.ParameterKind;
import dev.tracewire.processor.model.SpanAttributeModel;
import java.util.Optional;
import javax.lang.model.type.TypeMirror;

/**
 * A method parameter, classified once: what part of the message it binds.
 *
 * @param name its name
 * @param type its type, resolved against the annotated interface
 * @param kind the part of the message it binds
 * @param headerName the header name of a header parameter; empty for the others
 * @param spanAttribute the span attribute it is recorded as; empty for the others
 */
record ClassifiedParameter(String name, TypeMirror type, ParameterKind kind, Optional<String> headerName,
        Optional<SpanAttributeModel> spanAttribute) {
}
