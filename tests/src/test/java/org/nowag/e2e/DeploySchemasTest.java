package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.s3a.AWSCredentialProviderList;
import org.apache.hadoop.fs.s3a.auth.CredentialProviderListFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every deploy file against the schema or parameter list of the system that runs it: the SparkApplication against
 * spark-operator's CRD, the Databricks job against Databricks' job schema, the DAG's SparkSubmitOperator keywords
 * against the provider's constructor. Each check is also shown to fail on a broken copy, so it can fail.
 */
class DeploySchemasTest {
    static final Path DEPLOY = ProcessRun.repoRoot().resolve("deploy");

    @TempDir Path tmp;

    // ---- Kubernetes: spark-operator v1beta2 SparkApplication ----

    @Test
    void sparkApplicationMatchesTheOperatorsCrdSchema() throws Exception {
        List<String> errors = DeploySchemas.errors(DeploySchemas.sparkApplication(),
                DeploySchemas.yaml(DEPLOY.resolve("spark-application.yaml")));
        assertEquals(List.of(), errors);
    }

    @Test
    void crdSchemaRejectsAnUnknownFieldAWrongTypeAndABadEnum() throws Exception {
        Schema schema = DeploySchemas.sparkApplication();
        ObjectNode app = (ObjectNode) DeploySchemas.yaml(DEPLOY.resolve("spark-application.yaml"));
        ObjectNode spec = (ObjectNode) app.get("spec");
        spec.set("hadoopConfig", spec.get("hadoopConf"));             // misspelt field
        ((ObjectNode) spec.get("executor")).put("instances", "four");  // integer field
        spec.put("mode", "remote");                                   // enum: cluster, client, in-cluster-client
        String errors = String.join("\n", DeploySchemas.errors(schema, app));
        assertTrue(errors.contains("hadoopConfig"), errors);
        assertTrue(errors.contains("instances"), errors);
        assertTrue(errors.contains("mode"), errors);
    }

    @Test
    void sparkApplicationGivesS3SettingsOffHeapRoomAndTheServiceAccountToDriverAndExecutors() throws Exception {
        JsonNode spec = DeploySchemas.yaml(DEPLOY.resolve("spark-application.yaml")).path("spec");
        JsonNode hadoop = spec.path("hadoopConf");
        assertFalse(hadoop.path("fs.s3a.endpoint").asText().isEmpty(), "S3 endpoint");
        assertFalse(hadoop.path("fs.s3a.endpoint.region").asText().isEmpty(), "S3 region");
        assertTrue(hadoop.path("fs.s3a.aws.credentials.provider").asText().contains("WebIdentityTokenFileCredentialsProvider"));
        for (String role : List.of("driver", "executor")) {
            assertFalse(spec.path(role).path("memoryOverhead").asText().isEmpty(), role + " memoryOverhead");
            assertEquals("nowag-spark", spec.path(role).path("serviceAccount").asText(), role + " runs as the IAM-bound account");
        }
        assertEquals("1", spec.path("sparkConf").path("spark.task.cpus").asText());
        assertEquals("OnFailure", spec.path("restartPolicy").path("type").asText());
    }

    /**
     * The manifest's credential chain through S3A's own factory (Hadoop 3.5, AWS SDK v2): every class loads, the
     * web-identity provider is first, STS (which it calls) is on the classpath, and S3A's default chain lacks it.
     */
    @Test
    void s3aBuildsTheManifestsCredentialChainWhichAddsWebIdentityToTheDefaultOne() throws Exception {
        JsonNode hadoop = DeploySchemas.yaml(DEPLOY.resolve("spark-application.yaml")).path("spec").path("hadoopConf");
        Configuration conf = new Configuration(false);
        hadoop.properties().forEach(e -> conf.set(e.getKey(), e.getValue().asText()));
        List<String> names = new ArrayList<>();
        try (AWSCredentialProviderList list = CredentialProviderListFactory.createAWSCredentialProviderList(
                URI.create("s3a://models/"), conf)) {
            list.getProviders().forEach(p -> names.add(p.getClass().getName()));
        }
        assertEquals(List.of("software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider",
                "org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider",
                "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider"), names);
        // Throws "the 'sts' service module must be on the class path" when the jar lacks it.
        assertTrue(software.amazon.awssdk.auth.credentials.internal.WebIdentityCredentialsUtils.factory() != null);
        List<String> defaults = CredentialProviderListFactory.STANDARD_AWS_PROVIDERS.stream().map(Class::getName).toList();
        assertTrue(defaults.stream().noneMatch(n -> n.contains("WebIdentity")), "S3A's default chain: " + defaults);
    }

    // ---- Databricks: Jobs API 2.1 job settings ----

    @Test
    void databricksJobMatchesTheJobsApiSchema() throws Exception {
        JsonNode job = DeploySchemas.JSON.readTree(DEPLOY.resolve("databricks-job.json").toFile());
        assertEquals(List.of(), DeploySchemas.errors(DeploySchemas.databricksJob(), job));
        // The schema is the CLI's bundle schema; these fields of it are the bundle's own, not the Jobs API's.
        for (String bundleOnly : List.of("permissions", "lifecycle")) assertFalse(job.has(bundleOnly), bundleOnly);
    }

    @Test
    void databricksSchemaRejectsAnUnknownFieldAndABadAccessMode() throws Exception {
        ObjectNode job = (ObjectNode) DeploySchemas.JSON.readTree(DEPLOY.resolve("databricks-job.json").toFile());
        ObjectNode cluster = (ObjectNode) job.path("job_clusters").path(0).path("new_cluster");
        cluster.put("data_security_mode", "SHARED_PLEASE");
        ((ObjectNode) job.path("tasks").path(0).path("spark_jar_task")).put("main_class", "x");
        String errors = String.join("\n", DeploySchemas.errors(DeploySchemas.databricksJob(), job));
        assertTrue(errors.contains("data_security_mode"), errors);
        assertTrue(errors.contains("main_class"), errors);
    }

    @Test
    void databricksJobRunsFromUnityCatalogVolumesOnADedicatedClusterIntoItsRunsFolder() throws Exception {
        JsonNode job = DeploySchemas.JSON.readTree(DEPLOY.resolve("databricks-job.json").toFile());
        JsonNode cluster = job.path("job_clusters").path(0).path("new_cluster");
        // 17.3 LTS runs Apache Spark 4.0.0; the description says which jar to build for it.
        assertEquals("17.3.x-scala2.13", cluster.path("spark_version").asText());
        assertTrue(job.path("description").asText().contains("Spark 4.0.0")
                && job.path("description").asText().contains("-Pdist,spark-4.0"), job.path("description").asText());
        // Dedicated (single user): spark_conf JVM options and the notebook's py4j calls need it.
        assertEquals("DATA_SECURITY_MODE_DEDICATED", cluster.path("data_security_mode").asText());
        assertFalse(cluster.path("single_user_name").asText().isEmpty());
        for (JsonNode task : job.path("tasks")) {
            String key = task.path("task_key").asText();
            assertTrue(task.path("libraries").path(0).path("jar").asText().startsWith("/Volumes/"), key + ": jar on a volume");
            String params = task.path("spark_jar_task").path("parameters").toString();
            assertFalse(params.contains("dbfs:/"), key + " uses no DBFS root path: " + params);
            assertTrue(params.contains("{{job.parameters.out_root}}/{{job.run_id}}/"), key + ": one folder per run");
        }
        for (JsonNode p : job.path("parameters")) assertTrue(p.path("default").asText().startsWith("/Volumes/"), p.toString());
        assertTrue(Files.readString(DEPLOY.resolve("README.md")).contains("17.3 LTS"));
    }

    // ---- Airflow: SparkSubmitOperator ----

    List<String> dagFacts(String... runIds) throws Exception {
        Path script = tmp.resolve("dag_keywords.py");
        try (var in = DeploySchemas.resource("/dag_keywords.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString(), DEPLOY.resolve("airflow_nowag_dag.py").toString()));
        cmd.addAll(Arrays.asList(runIds));
        ProcessRun run = ProcessRun.run(tmp, cmd, 60);
        assertEquals(0, run.exitCode, run.output);
        return run.output.strip().lines().toList();
    }

    @Test
    void everySparkSubmitOperatorKeywordAndDefaultArgIsAParameterOfTheRealOperator() throws Exception {
        Map<String, Set<String>> params = DeploySchemas.airflowParameters();
        Set<String> operator = params.get("SparkSubmitOperator");
        Set<String> base = params.get("BaseOperator");
        List<String> facts = dagFacts();
        List<String> used = new ArrayList<>();
        for (String fact : facts) {
            String[] f = fact.split(" ");
            if (f[0].equals("operator")) {
                used.add(f[1]);
                assertTrue(operator.contains(f[1]) || base.contains(f[1]), "SparkSubmitOperator has no parameter " + f[1]);
            } else if (f[0].equals("default_arg")) {
                assertTrue(base.contains(f[1]), "BaseOperator has no parameter " + f[1] + " (default_args)");
            }
        }
        assertTrue(used.containsAll(List.of("deploy_mode", "executor_cores", "executor_memory", "num_executors",
                "driver_memory", "conf", "application_args")), used.toString());
        assertTrue(facts.contains("default_arg execution_timeout"), facts.toString());
        // The run folder is a template inside application_args: that field must be one Airflow renders.
        assertTrue(params.get("SparkSubmitOperator.template_fields").containsAll(List.of("application_args", "conf")));
        // The check can fail: a keyword the operator does not have is not in the list.
        assertFalse(operator.contains("executor_memory_overhead") || base.contains("executor_memory_overhead"));
    }

    @Test
    void eachDagRunWritesItsOwnFolderNamedByItsRunIdAsOnePathSegment() throws Exception {
        String manual1 = "manual__2026-01-02T03:04:05.123456+00:00";
        String manual2 = "manual__2026-01-02T09:10:11.654321+00:00";   // same day: {{ ds }} would collide
        String scheduled = "scheduled__2026-01-02T00:00:00+00:00";
        List<String> safe = dagFacts(manual1, manual2, scheduled).stream().filter(l -> l.startsWith("path_safe "))
                .map(l -> l.split(" ")[2]).toList();
        assertEquals(3, safe.size(), safe.toString());
        for (String s : safe) assertTrue(s.matches("[A-Za-z0-9._-]+"), s);
        assertNotEquals(safe.get(0), safe.get(1));
        assertEquals("manual__2026-01-02T03_04_05.123456_00_00", safe.get(0));

        String dag = Files.readString(DEPLOY.resolve("airflow_nowag_dag.py"));
        assertTrue(dag.contains("\"/{{ run_id | path_safe }}\"") && dag.contains("user_defined_filters={\"path_safe\": path_safe}"));
        assertFalse(dag.contains("{{ ds }}"), "no run-date folder");
        assertTrue(dagFacts().contains("dag user_defined_filters"));
    }
}
