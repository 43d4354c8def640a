package test;

public class BillingException extends Exception {
    private static final long serialVersionUID = 1L;

    public BillingException(String message) {
        super(message);
    }
}
