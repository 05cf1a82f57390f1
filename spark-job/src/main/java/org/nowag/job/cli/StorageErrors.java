package org.nowag.job.cli;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.nowag.job.spark.S3FailFast;

/**
 * Turns S3A's failures into errors that say what to do. S3A reports an unreachable endpoint and missing or refused
 * credentials as AWS SDK text ("Unable to execute HTTP request", "No AWS Credentials provided by ..."), which says
 * nothing about how to pass settings to nowag: the message keeps S3A's first line and adds the fix.
 */
final class StorageErrors {
    private static final Pattern BUCKET = Pattern.compile("s3a://([^/\\s:'\"]+)");

    private StorageErrors() {}

    /** A failure with the advice in its message; its cause is the original. */
    static final class Problem extends IOException {
        private static final long serialVersionUID = 1L;

        Problem(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The explained message of an S3 connection or credentials failure; null for any other failure. */
    static String explain(Throwable failure, String message, Configuration conf) {
        if (!concernsS3(failure)) return null;
        String bucket = bucket(failure);
        String first = firstLine(message);
        if (isCredentials(failure)) {
            return first + "; S3 found no credentials" + (bucket == null ? "" : " for bucket " + bucket) + ", or refused "
                    + "them: give them as "
                    + "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for "
                    + "temporary keys), or name a provider with --conf spark.hadoop.fs.s3a.aws.credentials.provider=CLASS "
                    + "(e.g. software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider on "
                    + "Kubernetes), or pass keys with --conf spark.hadoop.fs.s3a.access.key=... and --conf "
                    + "spark.hadoop.fs.s3a.secret.key=... (docs/storage.md, Credentials)";
        }
        if (isConnection(failure)) {
            String endpoint = S3FailFast.effective(conf, bucket, "fs.s3a.endpoint");
            return first + "; cannot reach the S3 endpoint " + (endpoint == null || endpoint.isEmpty()
                    ? "(AWS's, from fs.s3a.endpoint.region)" : endpoint)
                    + (bucket == null ? "" : " for bucket " + bucket) + " after "
                    + S3FailFast.RETRY_LIMIT + "=" + S3FailFast.effective(conf, bucket, S3FailFast.RETRY_LIMIT) + " retries of "
                    + S3FailFast.ATTEMPTS + "=" + S3FailFast.effective(conf, bucket, S3FailFast.ATTEMPTS) + " attempts ("
                    + S3FailFast.ESTABLISH_TIMEOUT + "=" + S3FailFast.effective(conf, bucket, S3FailFast.ESTABLISH_TIMEOUT)
                    + "): check the endpoint (--conf spark.hadoop.fs.s3a.endpoint=URL) and the network; to wait longer "
                    + "for a store that is slow to answer, raise them, e.g. --conf spark.hadoop." + S3FailFast.RETRY_LIMIT
                    + "=10 (docs/storage.md, S3 settings)";
        }
        return null;
    }

    private static boolean concernsS3(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String cls = t.getClass().getName();
            if (cls.startsWith("org.apache.hadoop.fs.s3a.") || cls.startsWith("software.amazon.awssdk.")) return true;
            if (t.getMessage() != null && t.getMessage().contains("s3a://")) return true;
        }
        return false;
    }

    private static boolean isCredentials(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String cls = t.getClass().getSimpleName();
            String m = String.valueOf(t.getMessage());
            if (cls.equals("NoAuthWithAWSException") || cls.equals("AccessDeniedException")
                    || m.contains("Unable to load credentials") || m.contains("No AWS Credentials")
                    || m.contains("No AWS credentials") || m.contains("InvalidAccessKeyId")
                    || m.contains("SignatureDoesNotMatch") || m.contains("ExpiredToken")
                    || m.contains("security token included in the request is invalid")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String cls = t.getClass().getSimpleName();
            String m = String.valueOf(t.getMessage());
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.net.NoRouteToHostException || t instanceof java.net.SocketTimeoutException
                    || cls.equals("ConnectTimeoutException") || cls.equals("ApiCallTimeoutException")
                    || cls.equals("ApiCallAttemptTimeoutException") || cls.equals("AWSApiCallTimeoutException")
                    || m.contains("Unable to execute HTTP request") || m.contains("Connection refused")) {
                return true;
            }
        }
        return false;
    }

    private static String bucket(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() == null) continue;
            Matcher m = BUCKET.matcher(t.getMessage());
            if (m.find()) return m.group(1);
        }
        return null;
    }

    private static String firstLine(String message) {
        String m = message == null ? "" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
