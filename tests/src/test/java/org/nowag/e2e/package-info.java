/**
 * End-to-end tests on real parts: the real MiniLM weights, real text, a local Spark, MiniDFSCluster, S3Mock, child
 * JVMs for the CLI. Tests only: they use the public API and CLI, and assert correctness, never wall time.
 */
package org.nowag.e2e;
