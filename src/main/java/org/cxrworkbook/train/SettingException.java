package org.cxrworkbook.train;

/**
 * A run setting that is refused before any work: the message names the setting (and where it came from, e.g.
 * {@code CXR_IMAGE_SIZE}), the value given and what is allowed.
 */
public final class SettingException extends IllegalArgumentException {

    private final String setting;

    /** A refusal of {@code setting}; {@code message} says the value and what is allowed. */
    public SettingException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    /** The name of the refused setting as the user wrote it (e.g. {@code CXR_EPOCHS}, {@code --lr}, {@code stage1Epochs}). */
    public String setting() {
        return setting;
    }
}
