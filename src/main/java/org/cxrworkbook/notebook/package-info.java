/** Notebook glue: parameters read from system properties and environment, display helpers shared by both Java kernels, and the run report. */
package org.cxrworkbook.notebook;
