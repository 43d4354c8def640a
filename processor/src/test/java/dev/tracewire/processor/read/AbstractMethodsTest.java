package dev.tracewire.processor.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import org.junit.jupiter.api.Test;

class AbstractMethodsTest {

    private static final String HIERARCHY = """
            package test;

            interface Base<T> {
                void sent(T payload);

                void audited(T payload);

                default void helper() {
                }

                static void utility() {
                }

                String toString();

                boolean equals(Object other);
            }

            interface Other {
                void other();
            }

            interface Events extends Base<String>, Other {
                void own();

                @Override
                void sent(String payload);
            }

            interface Deeper extends Events {
                default void own() {
                }
            }

            interface Left extends Other {
            }

            interface Right extends Other {
            }

            interface Diamond extends Left, Right {
            }
            """;

    @Test
    void ownMethodsComeFirstThenEachSuperInterfacesBreadthFirst() {
        assertThat(abstractMethodsOf("test.Events"))
                .containsExactly("Events.own", "Events.sent", "Base.audited", "Other.other");
    }

    @Test
    void leavesOutDefaultStaticAndObjectMethods() {
        assertThat(abstractMethodsOf("test.Base")).containsExactly("Base.sent", "Base.audited");
    }

    @Test
    void aDefaultMethodImplementsTheAbstractOneItOverrides() {
        assertThat(abstractMethodsOf("test.Deeper")).containsExactly("Events.sent", "Base.audited", "Other.other");
    }

    @Test
    void aMethodInheritedTwiceIsImplementedOnce() {
        assertThat(abstractMethodsOf("test.Diamond")).containsExactly("Other.other");
    }

    /** The abstract methods of {@code type}, each as {@code DeclaringType.name}. */
    private static List<String> abstractMethodsOf(String type) {
        List<String> names = new ArrayList<>();
        InJavac.run("test.Events", HIERARCHY, (elements, types) -> {
            for (ExecutableElement method : new AbstractMethods(elements, types).of(elements.getTypeElement(type))) {
                names.add(((TypeElement) method.getEnclosingElement()).getSimpleName() + "." + method.getSimpleName());
            }
        });
        return names;
    }
}
