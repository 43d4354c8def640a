package dev.tracewire.sample.orchestrator;

/** The inventory could not reserve the part a repair needs. */
public class PartUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public PartUnavailableException(String message) {
        super(message);
    }
}
