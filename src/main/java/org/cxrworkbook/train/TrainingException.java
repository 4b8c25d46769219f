package org.cxrworkbook.train;

/** Training cannot go on: diverged loss, data that does not fit the model, unusable checkpoint. */
public class TrainingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TrainingException(String message) {
        super(message);
    }

    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
