package dev.tracewire.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The sample's command line.
 *
 * @param kafka external Kafka's bootstrap servers, or null for the in-process broker
 * @param nats external NATS's URL, or null for a {@code nats-server} the sample starts
 * @param readings how many readings the ingest service publishes
 * @param verbose whether the log also goes to the console
 * @param logFile where the log goes
 * @param nodePeer the folder of the Node.js enricher
 */
record Arguments(String kafka, String nats, int readings, boolean verbose, Path logFile, Path nodePeer) {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: Main [--kafka host:port] [--nats nats://host:port] [--readings n] [--verbose] [--log file]"
                    + " [--node-peer folder]",
            "  --kafka      use this Kafka instead of starting one in-process",
            "  --nats       use this NATS server (with JetStream) instead of starting nats-server",
            "  --readings   how many sensor readings to publish (default 300)",
            "  --verbose    show the log (brokers, clients, stack traces) on the console too",
            "  --log        where the log goes (default target/tracewire-sample.log)",
            "  --node-peer  the folder of the Node.js enricher (default node-peer, else sample/node-peer)",
            "With OTEL_EXPORTER_OTLP_ENDPOINT set, every service also exports its spans over OTLP.");

    /**
     * Reads the command line.
     *
     * @throws IllegalArgumentException for an unknown option, a missing or malformed value, or {@code --help}
     */
    static Arguments parse(List<String> args) {
        String kafka = null;
        String nats = null;
        int readings = 300;
        boolean verbose = false;
        Path logFile = Path.of("target", "tracewire-sample.log");
        Path nodePeer = Files.isDirectory(Path.of("node-peer")) ? Path.of("node-peer") : Path.of("sample", "node-peer");
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--verbose" -> verbose = true;
                case "--kafka" -> kafka = value(args, ++i, arg);
                case "--nats" -> nats = value(args, ++i, arg);
                case "--log" -> logFile = Path.of(value(args, ++i, arg));
                case "--node-peer" -> nodePeer = Path.of(value(args, ++i, arg));
                case "--readings" -> {
                    String value = value(args, ++i, arg);
                    try {
                        readings = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--readings takes a number, not " + value);
                    }
                    if (readings < 2) {
                        throw new IllegalArgumentException("--readings takes 2 or more, not " + readings);
                    }
                }
                case "--help", "-h" -> throw new IllegalArgumentException("");
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (nats != null && !nats.startsWith("nats://") && !nats.startsWith("tls://")) {
            throw new IllegalArgumentException("--nats takes a URL such as nats://127.0.0.1:4222, not " + nats);
        }
        return new Arguments(kafka, nats, readings, verbose, logFile, nodePeer);
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size() || args.get(index).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(index);
    }
}
