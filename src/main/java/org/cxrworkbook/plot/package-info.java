/** Stage 7: XChart figures and image overlays returned as charts or images for notebooks and reports. */
package org.cxrworkbook.plot;
