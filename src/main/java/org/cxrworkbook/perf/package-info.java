/**
 * Performance measurement kept apart from the product code: the DenseNet121 training/inference benchmark against
 * PyTorch, the ND4J op profile of a training step and the SameDiff DenseNet121 it was compared with; the per-op
 * benchmark against oneDNN called directly is in {@code org.cxrworkbook.perf.ops}.
 */
package org.cxrworkbook.perf;
