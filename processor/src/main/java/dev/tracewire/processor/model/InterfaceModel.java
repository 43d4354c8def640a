package dev.tracewire.processor.model;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.TypeName;
import java.util.List;

/**
 * Everything the generator needs to know about one annotated interface, read and checked.
 *
 * @param interfaceName the annotated interface
 * @param role publisher or consumer
 * @param system the broker it talks to
 * @param isPublic whether the interface is public (the generated class then is too)
 * @param group the consumer group declared on a consumer, possibly empty
 * @param keyType the client's key type: the closest common type of the {@code @Key} parameters,
 *     or {@code null} when no method has a key
 * @param valueType the client's value type: the closest common type of the payloads, or
 *     {@code null} when no method has a payload
 * @param methods the abstract methods, the interface's own first, in declaration order
 */
public record InterfaceModel(
        ClassName interfaceName,
        Role role,
        MessagingSystem system,
        boolean isPublic,
        String group,
        TypeName keyType,
        TypeName valueType,
        List<MethodModel> methods) {

    public InterfaceModel {
        methods = List.copyOf(methods);
    }
}
