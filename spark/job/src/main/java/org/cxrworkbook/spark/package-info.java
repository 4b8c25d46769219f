/**
 * The workbook's archive jobs on Apache Spark: batch prediction ({@code ./cxr spark-predict}) and the frozen base's
 * features ({@code ./cxr spark-features}) over a whole NIH-layout archive. The driver parses the CSV and split lists
 * once; executors decode films from a shared path and run the broadcast network in {@code mapPartitions}, one network
 * per executor thread. Built apart from the workbook (module {@code spark/job}), so Spark never enters the notebooks'
 * classpath.
 */
package org.cxrworkbook.spark;
