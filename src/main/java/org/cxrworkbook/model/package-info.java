/** Stage 3: DenseNet121 as Keras builds it, pretrained-weight import, checkpoints and the layer summary. */
package org.cxrworkbook.model;
