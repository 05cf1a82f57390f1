package org.nowag.job.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration as bytes, broadcast to executors (as Spark's own HadoopRDD does), so settings made
 * on the driver (an HDFS address, an S3A endpoint and credentials) reach the tasks. Bytes, not a wrapper object:
 * Spark's Kryo would skip a transient Configuration field. Broadcast values are not shown in the Spark UI.
 */
public final class HadoopConfBytes {
    private HadoopConfBytes() {}

    public static byte[] toBytes(Configuration conf) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             DataOutputStream out = new DataOutputStream(bytes)) {
            conf.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Configuration fromBytes(byte[] bytes) {
        Configuration conf = new Configuration(false);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            conf.readFields(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return conf;
    }
}
