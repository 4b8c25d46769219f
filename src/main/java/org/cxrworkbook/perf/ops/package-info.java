/**
 * The per-op benchmark ({@code cxr bench-ops}): DenseNet121's convolutions, BN+ReLU, pooling and concatenations at
 * their real shapes, timed forward and backward as DL4J runs them, through oneDNN called directly (JavaCPP's
 * {@code org.bytedeco:dnnl}, through the engine's wrapper {@code org.cxrworkbook.model.engine.Dnnl}) and, in a
 * separate process, through PyTorch; oneDNN's results are checked against DL4J's.
 */
package org.cxrworkbook.perf.ops;
