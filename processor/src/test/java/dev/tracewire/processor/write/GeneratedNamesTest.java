package dev.tracewire.processor.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.squareup.javapoet.ClassName;
import org.junit.jupiter.api.Test;

class GeneratedNamesTest {

    @Test
    void prefixesATopLevelInterfaceInItsPackage() {
        ClassName generated = GeneratedNames.generatedClass(ClassName.get("com.acme.orders", "OrderEvents"));

        assertThat(generated.packageName()).isEqualTo("com.acme.orders");
        assertThat(generated.simpleNames()).containsExactly("TracedOrderEvents");
    }

    @Test
    void joinsNestedNamesIntoOneTopLevelClass() {
        ClassName generated = GeneratedNames.generatedClass(ClassName.get("com.acme", "Outer", "Middle", "Inner"));

        assertThat(generated.packageName()).isEqualTo("com.acme");
        assertThat(generated.simpleNames()).containsExactly("TracedOuter_Middle_Inner");
    }

    @Test
    void keepsTheDefaultPackage() {
        ClassName generated = GeneratedNames.generatedClass(ClassName.get("", "Events"));

        assertThat(generated.canonicalName()).isEqualTo("TracedEvents");
    }

    @Test
    void differentInterfacesGetDifferentNames() {
        assertThat(GeneratedNames.generatedClass(ClassName.get("com.acme", "Outer", "Inner")))
                .isNotEqualTo(GeneratedNames.generatedClass(ClassName.get("com.acme", "OuterInner")))
                .isNotEqualTo(GeneratedNames.generatedClass(ClassName.get("com.acme.other", "Outer", "Inner")));
    }

    @Test
    void attributeKeyConstantsAreTheAttributeNamesWordsInUpperCase() {
        assertThat(GeneratedNames.attributeKeyConstant("order.tenant")).isEqualTo("ORDER_TENANT");
        assertThat(GeneratedNames.attributeKeyConstant("order.tenantId")).isEqualTo("ORDER_TENANT_ID");
        assertThat(GeneratedNames.attributeKeyConstant("http.response-code..")).isEqualTo("HTTP_RESPONSE_CODE");
        assertThat(GeneratedNames.attributeKeyConstant("ABC")).isEqualTo("ABC");
        assertThat(GeneratedNames.attributeKeyConstant("3d.shape")).isEqualTo("ATTRIBUTE_3D_SHAPE");
        assertThat(GeneratedNames.attributeKeyConstant("..")).isEqualTo("ATTRIBUTE");
    }
}
