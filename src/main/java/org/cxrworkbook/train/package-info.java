/** Stage 4: class-frequency weighting, the weighted binary cross-entropy loss, transfer learning and the trainer. */
package org.cxrworkbook.train;
