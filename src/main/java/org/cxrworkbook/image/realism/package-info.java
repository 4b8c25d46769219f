/** Stage 2 side tool: measures how much phantom films look like real radiographs (histograms, spectrum, edges, texture, profile). */
package org.cxrworkbook.image.realism;
