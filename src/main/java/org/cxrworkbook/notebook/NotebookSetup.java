package org.cxrworkbook.notebook;

import java.lang.reflect.Method;

/**
 * Quiet notebook output, applied by {@code environment/setup.jshell} before any framework class loads: DL4J/ND4J
 * logging at WARN, and on the rapaio kernel plain-text results (rendered preformatted, as IJava already sends them).
 */
public final class NotebookSetup {

    /** slf4j-simple's level property; it is read once, when the first logger is created. */
    static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    /** rapaio-jupyter-kernel's global options holder (absent on IJava and outside a kernel). */
    static final String RAPAIO_GLOBAL = "org.rapaio.jupyter.kernel.global.Global";

    private NotebookSetup() {
    }

    /**
     * Sets the framework log level to WARN unless the property was set already (e.g. {@code -D} for debugging),
     * and makes the rapaio kernel send a value's text as {@code text/plain} instead of unformatted {@code text/html}
     * (which collapses a text table into one wrapped paragraph). Prints nothing.
     */
    public static void quiet() {
        System.getProperties().putIfAbsent(LOG_LEVEL_PROPERTY, "warn");
        plainTextOnRapaio(NotebookSetup.class.getClassLoader());
    }

    /** On rapaio, {@code Global.options().set("display.defaultMime", "text/plain")}; false where there is no rapaio. */
    static boolean plainTextOnRapaio(ClassLoader loader) {
        Class<?> global;
        try {
            global = Class.forName(RAPAIO_GLOBAL, true, loader);
        } catch (ClassNotFoundException e) {
            return false; // IJava, or plain JShell/JUnit: nothing to change
        }
        try {
            Object options = global.getMethod("options").invoke(null);
            Method set = options.getClass().getMethod("set", String.class, String.class);
            set.invoke(options, "display.defaultMime", "text/plain");
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            // another rapaio release with other option names: keep its default rather than fail the setup cell
            System.err.println("note: could not switch the rapaio kernel to plain-text results (" + e + ")");
            return false;
        }
    }
}
