/**
 * DenseNet121 on oneDNN called directly (JavaCPP's {@code org.bytedeco:dnnl}): {@code Dnnl}, a thin wrapper of
 * oneDNN 2.5's C API, and the inference engine for the frozen base, which runs a DenseNet121 ComputationGraph's own
 * weights and BatchNorm statistics in oneDNN's blocked layout up to a named vertex (and, with the graph's own head
 * layers after {@code avg_pool}, a whole DenseNet's predictions; {@code FrozenBase.release} frees a graph's compiled
 * engines); and the first pieces of the training path, one dense layer ({@code DenseLayerTraining}) and a whole
 * dense block ({@code DenseBlockTraining}), which the trainer does not use yet. The graph stays the model; the engine
 * only computes faster on the CPU.
 */
package org.cxrworkbook.model.engine;
