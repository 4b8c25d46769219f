package org.rapaio.jupyter.kernel.channels;

/**
 * Drop-in replacement for rapaio-jupyter-kernel 3.0.1's {@code LoopThread}, written from its public API
 * ({@code javap}): a named thread that runs {@code loopBody} then sleeps {@code sleep} ms until
 * {@link #shutdown()} or an interrupt.
 *
 * <p>Why it exists: the 3.0.1 class starts the thread before it sets its running flag, so on a busy
 * machine the new thread can read {@code false}, leave its loop at once, and the kernel never answers
 * {@code kernel_info_request} (about 30% of starts hung on 2 cores). Here the flag is set first.
 * Second race, same symptom: {@code Channels.connect} starts the shell loop before it fills its handler
 * map, so a {@code kernel_info_request} arriving in that window throws a NullPointerException that
 * ended the loop for good. Here a failed pass is reported and the loop goes on (the client repeats
 * {@code kernel_info_request} until it gets a reply). This grace lasts {@value #STARTUP_GRACE_MS} ms
 * after the thread starts (the window is short, but long on a loaded machine: three failed passes in a
 * row were seen); later a failure ends the loop as before (e.g. sockets closed at shutdown).
 * {@code environment/install.sh} compiles this file and puts it ahead of the kernel jar on the class path.
 */
public final class LoopThread extends Thread {

    private static final long STARTUP_GRACE_MS = 60_000;

    private volatile boolean running;
    private final long sleep;
    private final Runnable loopBody;

    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public void run() {
        long startedAt = System.currentTimeMillis();
        while (running) {
            try {
                loopBody.run();
            } catch (RuntimeException e) {
                // keep the channel alive: a lost message is recoverable, a dead loop is a hung kernel
                if (System.currentTimeMillis() - startedAt > STARTUP_GRACE_MS) {
                    throw e;
                }
                System.err.println("[LoopThread " + getName() + "] pass failed during start-up, loop continues: " + e);
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Marks the loop as running, then starts the thread (the order is the fix). */
    @Override
    public synchronized void start() {
        running = true;
        super.start();
    }

    /** Asks the loop to stop after its current pass. */
    public void shutdown() {
        running = false;
    }
}
