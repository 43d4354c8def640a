package dev.tracewire.sample;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The sample's own Kafka serializer and deserializer for {@link Order}, a line of
 * {@code id;customer;amountCents}. Any serializer works with tracewire: it sends through the
 * producer, and reads through the consumer, that the user configured.
 */
public final class OrderSerde {

    private OrderSerde() {
    }

    public static Serializer<Order> serializer() {
        return (topic, order) -> order == null ? null
                : (order.id() + ";" + order.customer() + ";" + order.amountCents()).getBytes(StandardCharsets.UTF_8);
    }

    public static Deserializer<Order> deserializer() {
        return (topic, data) -> data == null ? null : parse(new String(data, StandardCharsets.UTF_8));
    }

    private static Order parse(String line) {
        String[] parts = line.split(";", -1);
        if (parts.length != 3) {
            throw new SerializationException("not an order: " + line);
        }
        try {
            return new Order(parts[0], parts[1], Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            throw new SerializationException("not an order amount: " + parts[2], e);
        }
    }
}
