package org.nowag.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The real schemas of the systems deploy/ targets, from test resources (fetched once; provenance in
 * resources/schemas/README.md): spark-operator's SparkApplication CRD, Databricks' job schema, Airflow's
 * SparkSubmitOperator parameters. No network at test time.
 */
final class DeploySchemas {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CRD = "/schemas/sparkoperator.k8s.io_sparkapplications.yaml";
    static final String DATABRICKS = "/schemas/databricks-bundle-jsonschema.json";
    static final String AIRFLOW = "/schemas/airflow-spark-submit-operator-parameters.txt";
    /** The Jobs API job settings (name, tasks, job_clusters, ...) inside the Databricks CLI's schema. */
    static final String DATABRICKS_JOB = "#/$defs/github.com/databricks/cli/bundle/config/resources.Job";

    private DeploySchemas() {}

    /** A YAML file as Jackson's tree (SnakeYAML parses; the CRD is 0.8 MB, above SnakeYAML's default size limit). */
    static JsonNode yaml(InputStream in) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(16 * 1024 * 1024);
        try (InputStreamReader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            Object doc = new Yaml(options).load(r);
            return JSON.valueToTree(doc);
        }
    }

    static JsonNode yaml(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return yaml(in);
        }
    }

    static InputStream resource(String name) {
        InputStream in = DeploySchemas.class.getResourceAsStream(name);
        if (in == null) throw new IllegalStateException("test resource missing: " + name);
        return in;
    }

    /**
     * The v1beta2 openAPIV3Schema of the SparkApplication CRD as a JSON Schema, made strict the way kubectl's default
     * field validation is: an object with listed properties and no additionalProperties /
     * x-kubernetes-preserve-unknown-fields takes no other fields (the API server would reject or drop them).
     */
    static Schema sparkApplication() throws IOException {
        JsonNode crd = yaml(resource(CRD));
        JsonNode schema = null;
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("name").asText().equals("v1beta2")) schema = version.path("schema").path("openAPIV3Schema");
        }
        if (schema == null || schema.isMissingNode()) throw new IllegalStateException("no v1beta2 schema in " + CRD);
        JsonNode strict = schema.deepCopy();
        strict(strict);
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(strict);
    }

    static void strict(JsonNode node) {
        if (!(node instanceof ObjectNode o)) return;
        if (o.has("properties")) {
            o.get("properties").properties().forEach(e -> strict(e.getValue()));
            if (!o.has("additionalProperties") && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
        }
        strict(o.get("items"));
        strict(o.get("additionalProperties"));
        for (String k : List.of("allOf", "anyOf", "oneOf")) {
            if (o.has(k)) o.get(k).forEach(DeploySchemas::strict);
        }
    }

    /** Databricks' job settings schema: the Databricks CLI's JSON Schema (generated from the API's OpenAPI spec). */
    static Schema databricksJob() throws IOException {
        ObjectNode root;
        try (InputStream in = resource(DATABRICKS)) {
            root = (ObjectNode) JSON.readTree(in);
        }
        root.remove(List.of("type", "properties", "additionalProperties"));
        root.put("$ref", DATABRICKS_JOB);
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(root);
    }

    /** The messages of every violation, empty when the document matches. */
    static List<String> errors(Schema schema, JsonNode document) {
        List<String> out = new ArrayList<>();
        schema.validate(document).forEach(e -> out.add(e.toString()));
        return out;
    }

    /** Airflow's parameter lists by section ([SparkSubmitOperator], [BaseOperator], ...). */
    static Map<String, Set<String>> airflowParameters() throws IOException {
        Map<String, Set<String>> sections = new LinkedHashMap<>();
        Set<String> current = null;
        try (InputStream in = resource(AIRFLOW)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                if (l.startsWith("[")) {
                    current = sections.computeIfAbsent(l.substring(1, l.length() - 1), k -> new LinkedHashSet<>());
                } else {
                    current.add(l);
                }
            }
        }
        return sections;
    }
}
