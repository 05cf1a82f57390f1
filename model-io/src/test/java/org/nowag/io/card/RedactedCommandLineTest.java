package org.nowag.io.card;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactedCommandLineTest {
    private static List<String> r(String... args) {
        return RedactedCommandLine.redact(List.of(args));
    }

    @Test
    void sensitivePropertyValuesAreMaskedInEveryForm() {
        assertEquals(List.of("--conf", "spark.hadoop.fs.s3a.secret.key=***", "--conf", "spark.executor.memory=4g"),
                r("--conf", "spark.hadoop.fs.s3a.secret.key=abc", "--conf", "spark.executor.memory=4g"));
        assertEquals(List.of("--conf=fs.s3a.access.key=***"), r("--conf=fs.s3a.access.key=AKIA"));
        assertEquals(List.of("-c", "hf.Token=***"), r("-c", "hf.Token=x"));
        assertEquals(List.of("-Dfs.azure.account.key=***", "-Dspark.master=local"),
                r("-Dfs.azure.account.key=zz", "-Dspark.master=local"));
        assertEquals(List.of("-D", "my.password=***"), r("-D", "my.password=hunter2"));
        assertEquals(List.of("--conf", "spark.driver.extraJavaOptions=-Xmx2g -Dapi.credential=*** -Dx=1"),
                r("--conf", "spark.driver.extraJavaOptions=-Xmx2g -Dapi.credential=s3cr3t -Dx=1"));
    }

    @Test
    void sensitiveOptionsAndUriUserInfoAreMaskedButCountsAreNot() {
        assertEquals(List.of("--hf-token", "***", "--password=***", "--calib-tokens", "512"),
                r("--hf-token", "hf_abc", "--password=pw", "--calib-tokens", "512"));
        assertEquals(List.of("--model", "s3a://***@bucket/llama", "--out", "hdfs://nn:8020/out"),
                r("--model", "s3a://AKIA:SECRET@bucket/llama", "--out", "hdfs://nn:8020/out"));
    }

    @Test
    void theJoinedLineQuotesWhatAShellWouldSplit() {
        assertEquals("nowag compress --include 'a b' --model 'it'\\''s'",
                RedactedCommandLine.join(List.of("nowag", "compress", "--include", "a b", "--model", "it's")));
    }
}
