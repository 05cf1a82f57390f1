/**
 * Imports the real all-MiniLM-L6-v2 from its ONNX file (a minimal protobuf reader) into a safetensors model
 * directory. Format only: no kernels, no Spark.
 */
package org.nowag.io.onnx;
