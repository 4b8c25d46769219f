/** The ./cxr command line: one picocli sub-command per pipeline task. */
package org.cxrworkbook.cli;
