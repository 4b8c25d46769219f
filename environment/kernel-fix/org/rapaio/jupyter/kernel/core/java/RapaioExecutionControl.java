package org.rapaio.jupyter.kernel.core.java;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.SPIResolutionException;

/**
 * Drop-in replacement for rapaio-jupyter-kernel 3.0.1's JShell execution control, written for cxr-workbook from
 * the class's public API ({@code javap}) and JShell's {@code ExecutionControl} contract.
 *
 * <p>Why it exists: in 3.0.1 an interrupt cancels the running cell and then calls {@link #stop()}, which there
 * shut down the executor that runs cells; every later cell was rejected by that executor and came back "ok" with
 * no output until the kernel was restarted. JShell's contract is that {@code stop()} interrupts a running
 * invocation and {@link #close()} frees the engine, so here:
 * <ul>
 *   <li>{@code interrupt()} / {@code stop()} cancel the running cell (Java interrupt first; a cell that ignores
 *       interrupts, e.g. a busy loop or a native call returning to Java, is stopped with {@code Thread.stop}
 *       after {@value #GRACE_MS} ms, the same way JShell's own local engine stops a cell) and leave the engine
 *       ready for the next cell;</li>
 *   <li>a cell that runs past the time limit is stopped the same way (3.0.1 reported the timeout but left the
 *       cell running in the background);</li>
 *   <li>{@link #interruptAll()} reaches every live engine without the kernel object, for the patched
 *       {@code ControlChannel}.</li>
 * </ul>
 * {@code environment/install.sh} compiles this file and puts it ahead of the kernel jar on the class path.
 */
public class RapaioExecutionControl extends DirectExecutionControl {

    public static final String TIMEOUT_MARKER = "## Timeout Marker ##";
    public static final String INTERRUPTED_MARKER = "## Interrupted Marker ##";

    private static final long GRACE_MS = 2_000;
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final Set<RapaioExecutionControl> LIVE = new CopyOnWriteArraySet<>();

    private final long timeoutMillis;
    private final ExecutorService cells;
    private final Map<String, RunningCell> running = new ConcurrentHashMap<>();
    private final Map<String, Object> results = new ConcurrentHashMap<>();

    /** A cell being evaluated: its future, the thread running it, and a latch that opens when it has returned. */
    private record RunningCell(Future<Object> future, Thread[] worker, CountDownLatch done) {
    }

    public RapaioExecutionControl(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
        this.cells = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "Engine-thread-" + THREADS.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        LIVE.add(this);
    }

    /** Interrupts the running cell of every live engine in this JVM (used by the control channel). */
    public static void interruptAll() {
        LIVE.forEach(RapaioExecutionControl::interrupt);
    }

    public long getTimeout() {
        return timeoutMillis;
    }

    public Object takeResult(String key) {
        Object result = results.remove(key);
        if (result == null) {
            throw new IllegalStateException("No result with key: " + key);
        }
        return result;
    }

    @Override
    protected String invoke(Method methodCall) throws Exception {
        String id = UUID.randomUUID().toString();
        results.put(id, evaluate(id, methodCall));
        return id;
    }

    private Object evaluate(String id, Method methodCall) throws Exception {
        Thread[] worker = new Thread[1];
        CountDownLatch done = new CountDownLatch(1);
        Future<Object> future = cells.submit(() -> {
            worker[0] = Thread.currentThread();
            try {
                return methodCall.invoke(null);
            } finally {
                done.countDown();
            }
        });
        RunningCell cell = new RunningCell(future, worker, done);
        running.put(id, cell);
        try {
            return timeoutMillis > 0 ? future.get(timeoutMillis, TimeUnit.MILLISECONDS) : future.get();
        } catch (CancellationException e) {
            throw new UserException("Execution interrupted.", INTERRUPTED_MARKER, e.getStackTrace());
        } catch (TimeoutException e) {
            cancel(cell);
            throw new UserException("Execution timed out", TIMEOUT_MARKER, e.getStackTrace());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof InvocationTargetException ite ? ite.getCause() : e.getCause();
            if (cause == null) {
                throw new UserException("null", "Unknown Invocation Exception", e.getStackTrace());
            }
            if (cause instanceof SPIResolutionException unresolved) {
                throw new ResolutionException(unresolved.id(), cause.getStackTrace());
            }
            throw new UserException(cause.getMessage(), cause.getClass().getName(), cause.getStackTrace());
        } finally {
            running.remove(id, cell);
        }
    }

    /** Cancels the running cell(s); the engine stays ready for the next one. */
    public void interrupt() {
        running.values().forEach(RapaioExecutionControl::cancel);
    }

    /** JShell's "interrupt a running invocation": the same as {@link #interrupt()} (3.0.1 shut the engine down). */
    @Override
    public void stop() {
        interrupt();
    }

    /** Frees the engine: running cells are cancelled, the cell threads end. */
    @Override
    public void close() {
        LIVE.remove(this);
        interrupt();
        cells.shutdownNow();
        super.close();
    }

    /**
     * Java interrupt first; a cell that has not returned after the grace period is stopped with Thread.stop
     * (deprecated, but the only way to end code that never checks its interrupt flag; JShell's local engine
     * does the same). Runs the wait on a daemon thread so the caller (the control channel) answers at once.
     */
    @SuppressWarnings({"removal", "deprecation"})
    private static void cancel(RunningCell cell) {
        cell.future().cancel(true);
        Thread stopper = new Thread(() -> {
            try {
                if (!cell.done().await(GRACE_MS, TimeUnit.MILLISECONDS) && cell.worker()[0] != null) {
                    System.err.println("[kernel-fix] cell ignored the interrupt for " + GRACE_MS
                            + " ms: stopping its thread " + cell.worker()[0].getName());
                    cell.worker()[0].stop();
                }
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            } catch (UnsupportedOperationException e) {
                System.err.println("[kernel-fix] this JVM cannot stop a thread (" + e.getMessage()
                        + "); the cell keeps running in the background");
            }
        }, "cell-stopper");
        stopper.setDaemon(true);
        stopper.start();
    }
}
