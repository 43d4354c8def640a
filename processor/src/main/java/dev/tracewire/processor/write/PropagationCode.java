package dev.tracewire.processor.write;

import com.squareup.javapoet.CodeBlock;
import dev.tracewire.annotations.Propagation;
import dev.tracewire.processor.model.MethodModel;

/**
 * How a generated class hands a method's propagation policy to the runtime: as the last argument of
 * the call that builds a publisher method's sender, and as a call on a consumer's dispatcher builder.
 * A method that propagates, the default, gets neither, so its code reads as it always did.
 */
public final class PropagationCode {

    private PropagationCode() {
    }

    /** {@code , Propagation.NONE} to end a sender's arguments with; nothing for the default. */
    public static CodeBlock trailingArgument(MethodModel<?> method) {
        return method.propagation() == Propagation.PROPAGATE ? CodeBlock.of("")
                : CodeBlock.of(", $T.$L", RuntimeTypes.PROPAGATION, method.propagation().name());
    }

    /**
     * {@code .propagation("orders", Propagation.NONE)} on a new line of a dispatcher's builder chain;
     * nothing for the default.
     */
    public static CodeBlock builderCall(MethodModel<?> method) {
        return method.propagation() == Propagation.PROPAGATE ? CodeBlock.of("")
                : CodeBlock.of("\n.propagation($S, $T.$L)", method.destination(), RuntimeTypes.PROPAGATION,
                        method.propagation().name());
    }
}
