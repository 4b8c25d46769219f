/**
 * Stage 3: DenseNet121 (and its small variant) built layer for layer as Keras builds it, Keras HDF5 weight import,
 * the layer summary, and the two CPU speed fixes the layers train with (oneDNN helpers switched on, two-pass
 * BatchNorm). Benchmarks, profiles and the SameDiff experiment live in {@code org.cxrworkbook.perf}.
 */
package org.cxrworkbook.model;
