package dev.bilevel.core.state;

/** Saved state that does not fit the object it is read into: another build, another config, a damaged file. */
public final class StateMismatchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what did not fit
     */
    public StateMismatchException(String message) {
        super(message);
    }
}
