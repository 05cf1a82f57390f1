/**
 * Attempt-safe writes on any Hadoop file system (temp + rename, or a direct abortable write on S3), an atomic
 * exclusive create, and SHA-256 digests taken while writing. No knowledge of models or methods.
 */
package org.nowag.io.fs;
