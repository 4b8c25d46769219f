/** Stage 6: Grad-CAM and Grad-CAM++ heatmaps on named vertices and their localisation scores against lesion boxes. */
package org.cxrworkbook.explain;
