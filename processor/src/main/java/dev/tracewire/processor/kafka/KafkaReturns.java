package dev.tracewire.processor.kafka;

import dev.tracewire.processor.diag.Message;
import dev.tracewire.processor.diag.Reporter;
import dev.tracewire.processor.read.Mirrors;
import dev.tracewire.processor.system.MethodSite;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/** What a Kafka method's return type means, for a publisher and for a consumer. */
final class KafkaReturns {

    private static final String RECORD_METADATA = "org.apache.kafka.clients.producer.RecordMetadata";
    private static final List<String> FUTURES = List.of(CompletableFuture.class.getCanonicalName(),
            CompletionStage.class.getCanonicalName(), Future.class.getCanonicalName());
    private static final String PUBLISHER_RETURN_TYPES = "void, CompletableFuture<RecordMetadata>,"
            + " CompletionStage<RecordMetadata>, Future<RecordMetadata> or RecordMetadata (blocks until the broker"
            + " acknowledged)";

    private final Reporter reporter;

    KafkaReturns(Reporter reporter) {
        this.reporter = reporter;
    }

    Optional<KafkaPublisherShape> publisherShape(MethodSite method) {
        TypeMirror returnType = method.returnType();
        if (returnType.getKind() == TypeKind.VOID) {
            return Optional.of(KafkaPublisherShape.VOID);
        }
        if (Mirrors.isNamed(returnType, RECORD_METADATA)) {
            return Optional.of(KafkaPublisherShape.BLOCKING);
        }
        if (returnType instanceof DeclaredType declared && declared.getTypeArguments().size() == 1
                && Mirrors.isNamed(declared.getTypeArguments().get(0), RECORD_METADATA)
                && FUTURES.stream().anyMatch(future -> Mirrors.isNamed(returnType, future))) {
            return Optional.of(KafkaPublisherShape.FUTURE);
        }
        reporter.error(Message.PUBLISHER_RETURN_TYPE, method.element(), method.displayName(), returnType,
                KafkaSystem.NAME, PUBLISHER_RETURN_TYPES);
        return Optional.empty();
    }

    Optional<KafkaConsumerShape> consumerShape(MethodSite method) {
        if (method.returnType().getKind() == TypeKind.VOID) {
            return Optional.of(KafkaConsumerShape.VOID);
        }
        reporter.error(Message.CONSUMER_RETURN_TYPE, method.element(), method.displayName(), method.returnType(),
                KafkaSystem.NAME, "return void");
        return Optional.empty();
    }
}
