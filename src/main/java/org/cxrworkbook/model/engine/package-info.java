/**
 * DenseNet121 on oneDNN called directly (JavaCPP's {@code org.bytedeco:dnnl}): {@code Dnnl}, a thin wrapper of
 * oneDNN 2.5's C API; the inference engine for the frozen base ({@code FrozenBase}), which runs a DenseNet121
 * ComputationGraph's own weights and BatchNorm statistics in oneDNN's blocked layout up to a named vertex (and, with
 * the graph's own head layers after {@code avg_pool}, a whole DenseNet's predictions; {@code FrozenBase.release}
 * frees a graph's compiled engines); and the training engine ({@code TrainingEngine.forTraining}), a view of a graph
 * whose {@code fit} runs the base's forward and backward through oneDNN (the stem, transitions and final norm as
 * {@code ChainTraining}, each dense block over one concatenation buffer as {@code DenseBlockTraining}) and the head,
 * loss, solver and updater through DL4J ({@code FusedAdamUpdater}: DL4J's Adam in one pass). The graph stays the
 * model; the engines only compute faster on the CPU. {@code DenseLayerTraining} (one dense layer) serves the per-op
 * bench.
 */
package org.cxrworkbook.model.engine;
