/**
 * llama.cpp importance matrices (legacy and GGUF) read into calibration statistics, with llama.cpp's tensor names
 * mapped to Hugging Face's. Format only: no kernels, no Spark.
 */
package org.nowag.io.imatrix;
