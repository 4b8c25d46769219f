/**
 * Stage 3: DenseNet121 (and its small variant) built layer for layer as Keras builds it (its layer configurations in
 * {@code DenseNetLayers}, shared with the per-op benchmark), Keras HDF5 weight import,
 * the layer summary, and the two CPU speed fixes the layers train with (oneDNN helpers switched on, two-pass
 * BatchNorm, which DL4J's own training step still uses: {@code CXR_ENGINE=graph}, the CUDA profile, fallbacks); in
 * {@code model.engine}, oneDNN called directly, the CPU inference engine for the frozen base and the CPU training
 * engine that trains these graphs by default.
 * Benchmarks, profiles and the SameDiff experiment live in {@code org.cxrworkbook.perf}, the per-op
 * benchmark (DL4J vs oneDNN called directly vs PyTorch) in {@code org.cxrworkbook.perf.ops}.
 */
package org.cxrworkbook.model;
