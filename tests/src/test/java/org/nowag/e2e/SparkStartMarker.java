package org.nowag.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.scheduler.SparkListener;

/**
 * Given as spark.extraListeners to a child JVM, Spark makes one of these while it starts a SparkContext: the file
 * named by -Dnowag.test.sparkStarted then exists. A test that finds no such file knows Spark never started.
 */
public final class SparkStartMarker extends SparkListener {
    public SparkStartMarker() {
        try {
            Files.writeString(Path.of(System.getProperty("nowag.test.sparkStarted")), "started");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
