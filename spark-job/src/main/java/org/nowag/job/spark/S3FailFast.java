package org.nowag.job.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * S3A's retry and timeout settings with nowag's defaults where the user set none. S3A's own defaults (5 SDK
 * attempts per request, 7 S3A retries with exponential back-off from 500 ms, a 30 s connect timeout, a 200 s socket
 * timeout) keep a command silent for minutes when the endpoint is wrong or down; nowag's are small, so such a run
 * fails in seconds with a message ({@code StorageErrors}) instead. A value the user gave anywhere (core-site.xml,
 * {@code spark.hadoop.*} through spark-submit or -D, {@code --conf}, or per bucket as
 * {@code fs.s3a.bucket.NAME.*}, which S3A applies over these) is left as it is.
 */
public final class S3FailFast {
    public static final String ATTEMPTS = "fs.s3a.attempts.maximum";
    public static final String RETRY_LIMIT = "fs.s3a.retry.limit";
    public static final String ESTABLISH_TIMEOUT = "fs.s3a.connection.establish.timeout";
    public static final String SOCKET_TIMEOUT = "fs.s3a.connection.timeout";

    /** nowag's defaults, in the order the error message lists them. */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(RETRY_LIMIT, "3");         // S3A's retries of a failed request (back-off from fs.s3a.retry.interval)
        d.put(ATTEMPTS, "2");            // the AWS SDK's attempts inside each of those
        d.put(ESTABLISH_TIMEOUT, "5s");  // connecting to the endpoint
        d.put(SOCKET_TIMEOUT, "60s");    // a read or write that stalls
        DEFAULTS = java.util.Collections.unmodifiableMap(d);
    }

    /** Where these defaults come from, as {@link Configuration#getPropertySources} reports it. */
    static final String SOURCE = "nowag fail-fast default (S3FailFast)";

    private S3FailFast() {}

    /**
     * Sets each default the user did not set. When {@code previous} is not null, the value and source each key had
     * before are recorded there (value null: unset) so that a caller can put them back.
     */
    static void fillIn(Configuration conf, Map<String, String[]> previous) {
        DEFAULTS.forEach((key, value) -> {
            if (userSet(conf, key)) return;
            if (previous != null) previous.putIfAbsent(key, snapshot(conf, key));
            conf.set(key, value, SOURCE);
        });
    }

    /** The value and first source of a key (null value: unset), for {@link #restore}. */
    static String[] snapshot(Configuration conf, String key) {
        String[] sources = conf.getPropertySources(key);
        return new String[] {conf.get(key), sources == null || sources.length == 0 ? "programmatically" : sources[0]};
    }

    static void restore(Configuration conf, Map<String, String[]> previous) {
        previous.forEach((key, was) -> {
            if (was[0] == null) conf.unset(key);
            else conf.set(key, was[0], was[1]);
        });
    }

    /** Set by anyone but Hadoop's built-in core-default.xml (or by us). */
    static boolean userSet(Configuration conf, String key) {
        String[] sources = conf.getPropertySources(key);
        if (sources == null || conf.get(key) == null) return false;
        for (String s : sources) {
            if (!s.equals("core-default.xml") && !s.equals(SOURCE)) return true;
        }
        return false;
    }

    /** The setting S3A uses for a bucket: its per-bucket override, else the general key. */
    public static String effective(Configuration conf, String bucket, String key) {
        if (bucket != null) {
            String perBucket = conf.get("fs.s3a.bucket." + bucket + "." + key.substring("fs.s3a.".length()));
            if (perBucket != null) return perBucket;
        }
        String v = conf.get(key);
        return v != null ? v : DEFAULTS.get(key);
    }
}
