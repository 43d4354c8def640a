'use strict';
/*
 * The sample pipeline's enricher: a Node.js service with OpenTelemetry JS between two Java services.
 * It reads the detector's anomalies from Kafka with kafkajs, where OpenTelemetry's kafkajs
 * instrumentation continues the detector's trace in a CONSUMER span; adds what maintenance needs (the
 * production line, the spare part, a severity); and publishes the alert to JetStream, in a PRODUCER span
 * whose W3C context travels in the NATS headers, for the Java orchestrator.
 *
 * Argument: one JSON object {bootstrapServers, natsUrl, anomalies (topic), alerts (subject), group}.
 * Output, line by line: `SPAN {...}` for every finished span (span-lines.js), `ENRICHER ready` once its
 * consumer joined its group, `ENRICHER enriched <alertId>` per alert. It leaves its group and exits 0
 * when its standard input closes. With OTEL_EXPORTER_OTLP_ENDPOINT set it also exports its spans over
 * OTLP, as the Java services do (http/protobuf; OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and _HEADERS apply).
 */

// Tracing first: the kafkajs instrumentation patches kafkajs when it is required.
const api = require('@opentelemetry/api');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { SimpleSpanProcessor, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { KafkaJsInstrumentation } = require('@opentelemetry/instrumentation-kafkajs');
const { JsonLinesExporter } = require('./span-lines');

const SERVICE = 'enricher';
const spanProcessors = [new SimpleSpanProcessor(new JsonLinesExporter())];
if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
  spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
}
const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ 'service.name': SERVICE }), spanProcessors });
provider.register({ propagator: new W3CTraceContextPropagator() });
registerInstrumentations({ instrumentations: [new KafkaJsInstrumentation()] });

const { Kafka, logLevel } = require('kafkajs');
const { connect, headers: natsHeaders } = require('@nats-io/transport-node');

const tracer = api.trace.getTracer('tracewire-sample-enricher');
const config = JSON.parse(process.argv[2]);

/** What maintenance knows about each machine: its line and the spare part its repair needs. */
const ASSETS = {
  'pump-1': { line: 'L1 mixing', part: 'bearing-6204' },
  'pump-2': { line: 'L1 mixing', part: 'bearing-6204' },
  'pump-3': { line: 'L2 bottling', part: 'bearing-6204' },
  'compressor-1': { line: 'L2 bottling', part: 'valve-plate-VP3' },
  'oven-1': { line: 'L3 baking', part: 'heating-element-HE5' },
  'press-9': { line: 'L4 packaging', part: 'seal-kit-HP9' },
};

/** NATS headers as a carrier of the W3C propagator. */
const headerSetter = { set: (headers, key, value) => headers.set(key, value) };

function enrich(anomaly, offset) {
  const asset = ASSETS[anomaly.assetId] || { line: 'unknown', part: 'unknown' };
  return {
    alertId: `A-${String(offset).padStart(5, '0')}`,
    assetId: anomaly.assetId,
    sensorId: anomaly.sensorId,
    line: asset.line,
    part: asset.part,
    severity: anomaly.value >= 1.4 * anomaly.limit ? 'critical' : 'high',
    value: anomaly.value,
    limit: anomaly.limit,
  };
}

/** Publishes the alert to JetStream inside a PRODUCER span that ends on the stream's acknowledgement. */
async function publishAlert(nc, alert, tenant) {
  const span = tracer.startSpan(`publish ${config.alerts}`, {
    kind: api.SpanKind.PRODUCER,
    attributes: {
      'messaging.system': 'nats',
      'messaging.destination.name': config.alerts,
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'publish',
    },
  });
  const headers = natsHeaders();
  api.propagation.inject(api.trace.setSpan(api.context.active(), span), headers, headerSetter);
  if (tenant) {
    headers.set('tenant', tenant);
  }
  try {
    const ack = (await nc.request(config.alerts, JSON.stringify(alert), { headers, timeout: 5000 })).json();
    if (ack.error) {
      throw new Error(`JetStream refused the alert: ${JSON.stringify(ack.error)}`);
    }
    span.setAttributes({ 'messaging.nats.stream': ack.stream, 'messaging.nats.sequence': ack.seq });
  } catch (error) {
    span.recordException(error);
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: String(error.message || error) });
    throw error;
  } finally {
    span.end();
  }
}

async function main() {
  const nc = await connect({ servers: config.natsUrl, name: SERVICE });
  const kafka = new Kafka({ clientId: SERVICE, brokers: [config.bootstrapServers], logLevel: logLevel.WARN });
  const consumer = kafka.consumer({ groupId: config.group });
  consumer.on(consumer.events.GROUP_JOIN, () => console.log('ENRICHER ready'));
  await consumer.connect();
  await consumer.subscribe({ topic: config.anomalies, fromBeginning: true });
  await consumer.run({
    // Runs inside the instrumentation's CONSUMER span, which continues the detector's trace.
    eachMessage: async ({ message }) => {
      const tenant = message.headers && message.headers.tenant ? message.headers.tenant.toString() : undefined;
      const alert = enrich(JSON.parse(message.value.toString()), message.offset);
      await publishAlert(nc, alert, tenant);
      console.log(`ENRICHER enriched ${alert.alertId}`);
    },
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) {
      return;
    }
    stopping = true;
    await consumer.disconnect();
    await nc.drain();
    await provider.shutdown();
    process.exit(0);
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(`ENRICHER failed: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
});
