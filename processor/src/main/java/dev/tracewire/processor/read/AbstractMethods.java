package dev.tracewire.processor.read;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The methods a generated class must implement: the abstract methods of an interface and of its
 * super-interfaces, the most specific declaration of each, in a stable order (the interface's own
 * in declaration order, then each super-interface's, breadth first). Default and static methods,
 * and abstract redeclarations of {@code Object}'s public methods, are left alone.
 */
final class AbstractMethods {

    private final Elements elements;
    private final Types types;

    AbstractMethods(Elements elements, Types types) {
        this.elements = elements;
        this.types = types;
    }

    List<ExecutableElement> of(TypeElement type) {
        List<ExecutableElement> seen = new ArrayList<>();
        List<ExecutableElement> result = new ArrayList<>();
        for (TypeElement declaring : hierarchy(type)) {
            for (ExecutableElement method : ElementFilter.methodsIn(declaring.getEnclosedElements())) {
                if (method.getModifiers().contains(Modifier.STATIC) || isOverridden(method, seen, type)) {
                    continue;
                }
                seen.add(method);
                if (method.getModifiers().contains(Modifier.ABSTRACT) && !isObjectMethod(method)) {
                    result.add(method);
                }
            }
        }
        return result;
    }

    private boolean isOverridden(ExecutableElement method, List<ExecutableElement> moreSpecific, TypeElement type) {
        for (ExecutableElement candidate : moreSpecific) {
            if (elements.overrides(candidate, method, type)) {
                return true;
            }
        }
        return false;
    }

    private boolean isObjectMethod(ExecutableElement method) {
        TypeElement object = elements.getTypeElement(Object.class.getCanonicalName());
        for (ExecutableElement objectMethod : ElementFilter.methodsIn(object.getEnclosedElements())) {
            if (objectMethod.getModifiers().contains(Modifier.PUBLIC)
                    && objectMethod.getSimpleName().contentEquals(method.getSimpleName())
                    && elements.overrides(method, objectMethod, (TypeElement) method.getEnclosingElement())) {
                return true;
            }
        }
        return false;
    }

    private Set<TypeElement> hierarchy(TypeElement type) {
        Set<TypeElement> ordered = new LinkedHashSet<>();
        Deque<TypeElement> queue = new ArrayDeque<>();
        queue.add(type);
        while (!queue.isEmpty()) {
            TypeElement next = queue.removeFirst();
            if (ordered.add(next)) {
                for (TypeMirror superInterface : next.getInterfaces()) {
                    queue.addLast((TypeElement) ((DeclaredType) types.erasure(superInterface)).asElement());
                }
            }
        }
        return ordered;
    }
}
