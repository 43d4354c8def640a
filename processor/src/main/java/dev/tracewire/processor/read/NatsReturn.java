package dev.tracewire.processor.read;

import com.squareup.javapoet.TypeName;
import dev.tracewire.processor.model.ReturnKind;

/** A NATS method's return kind and, for requests and responders, the reply's class. */
record NatsReturn(ReturnKind kind, TypeName replyType) {
}
