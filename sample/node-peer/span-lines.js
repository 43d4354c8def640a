'use strict';
/*
 * A span exporter that prints each finished span as one line, `SPAN ` and the span in OTLP's JSON field
 * names (plus its instrumentation scope and the resource's service name), for the Java process that runs
 * this one to read: tracewire's interop tests and the sample's trace waterfall.
 */
const { ExportResultCode } = require('@opentelemetry/core');

const KINDS = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

/** Nanoseconds since the epoch of an OpenTelemetry HrTime ([seconds, nanoseconds]), as a decimal string. */
function unixNanos([seconds, nanos]) {
  return (BigInt(seconds) * 1000000000n + BigInt(nanos)).toString();
}

class JsonLinesExporter {
  export(spans, done) {
    for (const span of spans) {
      const context = span.spanContext();
      const parent = span.parentSpanContext;
      console.log('SPAN ' + JSON.stringify({
        traceId: context.traceId,
        spanId: context.spanId,
        parentSpanId: parent ? parent.spanId : '',
        name: span.name,
        kind: 'SPAN_KIND_' + KINDS[span.kind],
        startTimeUnixNano: unixNanos(span.startTime),
        endTimeUnixNano: unixNanos(span.endTime),
        status: { code: STATUS_CODES[span.status.code] },
        scope: span.instrumentationScope.name,
        service: span.resource.attributes['service.name'],
        attributes: Object.entries(span.attributes).map(([key, value]) => ({ key, value: { stringValue: String(value) } })),
        links: span.links.map((link) => ({ traceId: link.context.traceId, spanId: link.context.spanId })),
      }));
    }
    done({ code: ExportResultCode.SUCCESS });
  }

  shutdown() {
    return Promise.resolve();
  }

  forceFlush() {
    return Promise.resolve();
  }
}

module.exports = { JsonLinesExporter };
