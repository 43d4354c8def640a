package dev.tracewire.processor.model;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.TypeName;
import java.util.List;
import java.util.Optional;

/**
 * Everything a generator needs to know about one annotated interface, read and checked.
 *
 * @param <S> the shape of the methods, which their messaging system and the role decide
 * @param interfaceName the annotated interface
 * @param role publisher or consumer
 * @param componentModel how the generated class is made and run: plain, JSR-330 or Spring
 * @param isPublic whether the interface is public (the generated class then is too)
 * @param group the consumer group declared on a consumer, possibly empty
 * @param keyType for a system whose client is typed by key and value, the closest common type of
 *     the {@code @Key} parameters; empty when no method has a key or the client is not typed
 * @param valueType for a system whose client is typed by key and value, the closest common type
 *     of the payloads; empty when no method has a payload or the client is not typed
 * @param declaredException for a consumer, the closest common superclass of the checked
 *     exceptions its methods declare, which its {@code handle} method rethrows; empty when they
 *     declare none, and for a publisher
 * @param methods the abstract methods, the interface's own first, in declaration order
 */
public record InterfaceModel<S>(
        ClassName interfaceName,
        Role role,
        ComponentModel componentModel,
        boolean isPublic,
        String group,
        Optional<TypeName> keyType,
        Optional<TypeName> valueType,
        Optional<ClassName> declaredException,
        List<MethodModel<S>> methods) {

    public InterfaceModel {
        methods = List.copyOf(methods);
    }
}
