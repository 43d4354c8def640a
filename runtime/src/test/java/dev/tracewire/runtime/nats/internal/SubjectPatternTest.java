package dev.tracewire.runtime.nats.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectPatternTest {

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
            "orders,            orders,            true",
            "orders,            orders.eu,         false",
            "orders,            order,             false",
            "orders.eu.placed,  orders.eu.placed,  true",
            "orders.eu.placed,  orders.eu.place,   false",
            "orders.*,          orders.eu,         true",
            "orders.*,          orders,            false",
            "orders.*,          orders.eu.placed,  false",
            "orders.*,          ordersX.eu,        false",
            "orders.*.placed,   orders.eu.placed,  true",
            "orders.*.placed,   orders.eu.paid,    false",
            "orders.*.placed,   orders.eu.placedX, false",
            "*,                 orders,            true",
            "*,                 orders.eu,         false",
            "*.*,               a.b,               true",
            "*.*,               a,                 false",
            "orders.>,          orders.eu,         true",
            "orders.>,          orders.eu.placed,  true",
            "orders.>,          orders,            false",
            "orders.>,          prices.eu,         false",
            ">,                 orders,            true",
            ">,                 orders.eu.placed,  true",
            "orders.>.placed,   orders.eu.placed,  false",
            "a.*,               a.,                true",
            "a.b,               a.b.,              false",
    })
    void matchesAsNatsDoes(String pattern, String subject, boolean expected) {
        assertThat(SubjectPattern.compile(pattern).matches(subject)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"orders, false", "orders.*, true", "orders.>, true", "a.*.c, true", "a*.b, false", "a.>b, false"})
    void knowsAWildcardFromALiteral(String pattern, boolean wildcard) {
        assertThat(SubjectPattern.compile(pattern).isWildcard()).isEqualTo(wildcard);
    }
}
