package dev.bilevel.core.lqr;

/**
 * A soft LQR whose Riccati iteration did not converge (not stabilisable, diverging, or out of iterations).
 * It is an {@link ArithmeticException}, so a training run treats it like any other numerical divergence:
 * it stops with the message and keeps what it already wrote.
 */
public final class SoftLqrException extends ArithmeticException {

    private static final long serialVersionUID = 1L;

    /** @param message one line saying what went wrong */
    public SoftLqrException(String message) {
        super(message);
    }
}
