package dev.tracewire.processor.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import org.junit.jupiter.api.Test;

class CommonTypeTest {

    @Test
    void aClientOfNoTypeHasNone() {
        InJavac.run((elements, types) ->
                assertThat(new CommonType(elements, types).of(List.of())).isEmpty());
    }

    @Test
    void aClientOfOneTypeHasIt() {
        InJavac.run((elements, types) -> assertThat(commonName(elements, types, String.class, String.class))
                .hasValue("java.lang.String"));
    }

    @Test
    void aClientOfTypesAssignableToOneOfThemHasThatOne() {
        InJavac.run((elements, types) -> {
            assertThat(commonName(elements, types, Integer.class, Number.class, Long.class))
                    .hasValue("java.lang.Number");
            assertThat(commonName(elements, types, String.class, CharSequence.class))
                    .hasValue("java.lang.CharSequence");
        });
    }

    @Test
    void aClientOfUnrelatedTypesHasObject() {
        InJavac.run((elements, types) -> assertThat(commonName(elements, types, String.class, Integer.class))
                .hasValue("java.lang.Object"));
    }

    @Test
    void theClosestSuperclassOfSiblingsIsTheirParent() {
        InJavac.run((elements, types) -> assertThat(closestSuperclassName(elements, types,
                FileNotFoundException.class, EOFException.class)).hasValue("java.io.IOException"));
    }

    @Test
    void theClosestSuperclassOfAClassAndItsSubclassIsTheClass() {
        InJavac.run((elements, types) -> {
            assertThat(closestSuperclassName(elements, types,
                    IOException.class, FileNotFoundException.class)).hasValue("java.io.IOException");
            assertThat(closestSuperclassName(elements, types,
                    FileNotFoundException.class, IOException.class)).hasValue("java.io.IOException");
        });
    }

    @Test
    void theClosestSuperclassOfUnrelatedExceptionsIsException() {
        InJavac.run((elements, types) -> assertThat(closestSuperclassName(elements, types,
                IOException.class, TimeoutException.class))
                .hasValue("java.lang.Exception"));
    }

    @Test
    void theClosestSuperclassOfOneClassIsItselfAndOfNoneIsNothing() {
        InJavac.run((elements, types) -> {
            assertThat(closestSuperclassName(elements, types, EOFException.class))
                    .hasValue("java.io.EOFException");
            assertThat(new CommonType(elements, types).closestSuperclass(List.of())).isEmpty();
        });
    }

    @Test
    void boxesPrimitivesOnly() {
        InJavac.run((elements, types) -> {
            CommonType commonType = new CommonType(elements, types);
            TypeMirror string = typeOf(elements, String.class);

            assertThat(commonType.boxed(types.getPrimitiveType(TypeKind.LONG)).toString()).isEqualTo("java.lang.Long");
            assertThat(commonType.boxed(string)).isSameAs(string);
        });
    }

    private static Optional<String> commonName(Elements elements, Types types, Class<?>... classes) {
        return new CommonType(elements, types).of(typesOf(elements, classes)).map(TypeMirror::toString);
    }

    private static Optional<String> closestSuperclassName(Elements elements, Types types, Class<?>... classes) {
        return new CommonType(elements, types).closestSuperclass(typesOf(elements, classes)).map(TypeMirror::toString);
    }

    private static List<TypeMirror> typesOf(Elements elements, Class<?>... classes) {
        return Arrays.stream(classes).map(type -> typeOf(elements, type)).toList();
    }

    private static TypeMirror typeOf(Elements elements, Class<?> type) {
        return elements.getTypeElement(type.getCanonicalName()).asType();
    }
}
