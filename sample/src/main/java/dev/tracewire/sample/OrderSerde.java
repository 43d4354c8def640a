package dev.tracewire.sample;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The sample's own Kafka serializer and deserializer for {@link Order}, a line of
 * {@code id;customer;amountCents}. Any serializer works with tracewire: it passes the producer and
 * consumer the user configured.
 */
public final class OrderSerde implements Serializer<Order>, Deserializer<Order> {

    @Override
    public byte[] serialize(String topic, Order order) {
        if (order == null) {
            return null;
        }
        return (order.id() + ";" + order.customer() + ";" + order.amountCents()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Order deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        String[] parts = new String(data, StandardCharsets.UTF_8).split(";", -1);
        if (parts.length != 3) {
            throw new SerializationException("not an order: " + new String(data, StandardCharsets.UTF_8));
        }
        try {
            return new Order(parts[0], parts[1], Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            throw new SerializationException("not an order amount: " + parts[2], e);
        }
    }

    @Override
    public void close() {
    }
}
