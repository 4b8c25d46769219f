/**
 * The per-op benchmark ({@code cxr bench-ops}): DenseNet121's convolutions, BN+ReLU, pooling and concatenations at
 * their real shapes, timed forward and backward as DL4J runs them, through oneDNN called directly (JavaCPP's
 * {@code org.bytedeco:dnnl}, a provided-scope dependency kept in target/bench-lib/, not on the notebooks' class
 * path) and, in a separate process, through PyTorch; oneDNN's results are checked against DL4J's.
 */
package org.cxrworkbook.perf.ops;
