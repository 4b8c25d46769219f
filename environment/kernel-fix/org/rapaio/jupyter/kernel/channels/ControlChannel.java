package org.rapaio.jupyter.kernel.channels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import org.rapaio.jupyter.kernel.core.ConnectionProperties;
import org.rapaio.jupyter.kernel.core.java.RapaioExecutionControl;
import org.rapaio.jupyter.kernel.message.HMACDigest;
import org.rapaio.jupyter.kernel.message.Message;
import org.rapaio.jupyter.kernel.message.MessageType;
import org.rapaio.jupyter.kernel.message.messages.ControlInterruptReply;
import org.rapaio.org.zeromq.SocketType;
import org.rapaio.org.zeromq.ZMQ;

/**
 * Drop-in replacement for rapaio-jupyter-kernel 3.0.1's control channel, written for cxr-workbook from the class's
 * public API ({@code javap}) and the Jupyter messaging protocol.
 *
 * <p>Why it exists: 3.0.1 handled {@code interrupt_request} through the state it shares with the shell channel:
 * it overwrote the shell's current message id, sent {@code interrupt_reply} on the <em>shell</em> socket (so the
 * client never received it), and ran the running cell's pending after-actions (its reply, stream restore and
 * "idle") on the control thread. Here an interrupt is answered on the control socket, addressed to the request,
 * and the running cell is cancelled through {@link RapaioExecutionControl#interruptAll()}; the shell's state is
 * not touched, so the cell ends with an "Execution interrupted" error and the next cell runs normally.
 * Other control messages (shutdown) go to the kernel's handlers as before.
 */
public final class ControlChannel extends AbstractChannel {

    private static final Logger LOGGER = Logger.getLogger(ControlChannel.class.getSimpleName());
    private static final long LOOP_SLEEP = 50;
    private static final AtomicInteger ID = new AtomicInteger();

    private volatile LoopThread loopThread;

    public ControlChannel(Channels channels, ZMQ.Context context, HMACDigest hmacGenerator) {
        super(channels, "ControlChannel", context, SocketType.ROUTER, hmacGenerator);
    }

    @Override
    public void bind(ConnectionProperties connProps) {
        if (loopThread != null) {
            throw new IllegalStateException("Channel already bound.");
        }
        String address = connProps.formatAddress(connProps.controlPort());
        LOGGER.info(logPrefix + "Binding to " + address);
        socket.bind(address);
        ZMQ.Poller poller = ctx.poller(1);
        poller.register(socket, ZMQ.Poller.POLLIN);
        loopThread = new LoopThread("Control-" + ID.getAndIncrement(), LOOP_SLEEP, () -> {
            if (poller.poll(0) > 0) {
                handle(readMessage());
            }
        });
        loopThread.start();
    }

    private void handle(Message<?> message) {
        if (message == null) {
            return; // channel closed
        }
        MessageType<?> type = message.header().type();
        if (type == MessageType.CONTROL_INTERRUPT_REQUEST) {
            LOGGER.info(logPrefix + "Interrupt: cancelling the running cell");
            sendMessage(new Message<>(message.getId(), MessageType.CONTROL_INTERRUPT_REPLY, new ControlInterruptReply()));
            RapaioExecutionControl.interruptAll();
            return;
        }
        handleByKernel(message, type);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private void handleByKernel(Message<?> message, MessageType<?> type) {
        MessageHandler handler = channels.getHandler(type);
        if (handler == null) {
            LOGGER.severe(logPrefix + "Unhandled message: " + type.name());
            return;
        }
        LOGGER.info(logPrefix + "Handling message: " + type.name());
        channels.setMsgId(message.getId());
        try {
            handler.handle(message);
        } catch (Exception e) {
            LOGGER.severe(logPrefix + "Exception handling " + type.name() + ". " + e.getClass().getSimpleName()
                    + ": " + e.getLocalizedMessage());
        } finally {
            channels.runAfterActions();
        }
        if (channels.isMarkedForShutdown()) {
            LOGGER.info(logPrefix + "shutting down connection marked for shutdown.");
            channels.close();
        }
    }

    @Override
    public void close() {
        if (loopThread != null) {
            loopThread.shutdown();
        }
        super.close();
    }

    @Override
    public void joinUntilClose() {
        if (loopThread != null) {
            try {
                loopThread.join();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
