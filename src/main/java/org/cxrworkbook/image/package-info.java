/** Stage 2: decoding, resizing and standardising radiographs, pixel statistics, and the DL4J iterators that feed the model. */
package org.cxrworkbook.image;
