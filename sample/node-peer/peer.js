'use strict';
/*
 * A Node.js service with OpenTelemetry JS that tracewire's NodePeerTest runs beside generated Java
 * clients on the same Kafka broker and NATS server. Kafka goes through kafkajs with OpenTelemetry's
 * kafkajs instrumentation; NATS through @nats-io/transport-node with the W3C propagator writing and
 * reading the context in headers, and separately in the `_otel_trace_headers` field of a JSON payload.
 *
 * Argument: one JSON object (run id, broker, server, topics and subjects). Output, line by line:
 * `SPAN {...}` for every finished span (OTLP's JSON fields), `PEER ready` once its consumers listen,
 * `PEER handled <what> <traceId> <spanId>` with the span current where a message was handled.
 * It exits 0 once it has handled one message of each kind, 1 after 60 s without.
 */

// Tracing first: the kafkajs instrumentation patches kafkajs when it is required.
const api = require('@opentelemetry/api');
const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node');
const { SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { KafkaJsInstrumentation } = require('@opentelemetry/instrumentation-kafkajs');
const { JsonLinesExporter } = require('./span-lines');

const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new JsonLinesExporter())] });
provider.register({ propagator: new W3CTraceContextPropagator() });
registerInstrumentations({ instrumentations: [new KafkaJsInstrumentation()] });

const { Kafka, logLevel } = require('kafkajs');
const { connect, headers: natsHeaders } = require('@nats-io/transport-node');

const tracer = api.trace.getTracer('tracewire-node-peer');
const config = JSON.parse(process.argv[2]);

/** NATS headers as a carrier of the W3C propagator. */
const headerGetter = {
  keys: (headers) => (headers ? Array.from(headers.keys()) : []),
  get: (headers, key) => (headers && headers.has(key) ? headers.get(key) : undefined),
};
const headerSetter = { set: (headers, key, value) => headers.set(key, value) };

function printCurrent(what) {
  const context = api.trace.getActiveSpan().spanContext();
  console.log(`PEER handled ${what} ${context.traceId} ${context.spanId}`);
}

/** A CONSUMER span for a NATS message, child of `parent`, with `handle` running inside it. */
function processNats(message, parent, what) {
  const span = tracer.startSpan(`process ${message.subject}`, {
    kind: api.SpanKind.CONSUMER,
    attributes: {
      'messaging.system': 'nats',
      'messaging.destination.name': message.subject,
      'messaging.operation.type': 'process',
    },
  }, parent);
  api.context.with(api.trace.setSpan(parent, span), () => printCurrent(what));
  span.end();
}

/** Publishes `note` as JSON on `subject` inside a PRODUCER span; `carry` puts the context into the message. */
function publishNats(nc, subject, note, carry) {
  tracer.startActiveSpan('caller', { attributes: { message: note.run } }, (caller) => {
    const span = tracer.startSpan(`publish ${subject}`, {
      kind: api.SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'nats',
        'messaging.destination.name': subject,
        'messaging.operation.type': 'send',
      },
    });
    const context = api.trace.setSpan(api.context.active(), span);
    const options = {};
    carry(context, note, options);
    nc.publish(subject, JSON.stringify(note), options);
    span.end();
    caller.end();
  });
}

async function main() {
  const pending = new Set(['kafka', 'nats-headers', 'nats-payload']);
  let allHandled;
  const handled = new Promise((resolve) => { allHandled = resolve; });
  const done = (what) => {
    pending.delete(what);
    if (pending.size === 0) {
      allHandled();
    }
  };

  const kafka = new Kafka({ clientId: 'tracewire-node-peer', brokers: [config.bootstrapServers], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: `tracewire-node-peer-${config.run}` });
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topic: config.kafkaFromJava, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.key && message.key.toString() === `${config.run}-kafka`) {
        printCurrent('kafka');
        done('kafka');
      }
    },
  });

  const nc = await connect({ servers: config.natsUrl });
  nc.subscribe(config.natsHeadersFromJava, {
    callback: (error, message) => {
      if (!error && message.json().run === `${config.run}-nats-headers`) {
        processNats(message, api.propagation.extract(api.ROOT_CONTEXT, message.headers, headerGetter), 'nats-headers');
        done('nats-headers');
      }
    },
  });
  nc.subscribe(config.natsPayloadFromJava, {
    callback: (error, message) => {
      const note = error ? {} : message.json();
      if (note.run === `${config.run}-nats-payload`) {
        // The payload's field only, whatever headers the message has.
        const parent = api.propagation.extract(api.ROOT_CONTEXT, note._otel_trace_headers || {});
        processNats(message, parent, 'nats-payload');
        done('nats-payload');
      }
    },
  });
  await nc.flush();
  console.log('PEER ready');

  await tracer.startActiveSpan('caller', { attributes: { message: `${config.run}-kafka` } }, async (caller) => {
    await producer.send({ topic: config.kafkaToJava, messages: [{ key: `${config.run}-kafka`, value: 'from node' }] });
    caller.end();
  });
  publishNats(nc, config.natsHeadersToJava, { run: `${config.run}-nats-headers`, text: 'from node' },
    (context, note, options) => {
      options.headers = natsHeaders();
      api.propagation.inject(context, options.headers, headerSetter);
    });
  publishNats(nc, config.natsPayloadToJava, { run: `${config.run}-nats-payload`, text: 'from node' },
    (context, note) => {
      note._otel_trace_headers = {};
      api.propagation.inject(context, note._otel_trace_headers);
    });
  await nc.flush();

  const timeout = setTimeout(() => {
    console.log(`PEER timeout: not handled ${Array.from(pending).join(', ')}`);
    process.exit(1);
  }, 60_000);
  await handled;
  clearTimeout(timeout);
  await consumer.disconnect();
  await producer.disconnect();
  await nc.drain();
  await provider.shutdown();
}

main().catch((error) => {
  console.log(`PEER failed: ${error && error.stack ? error.stack : error}`);
  process.exit(1);
});
