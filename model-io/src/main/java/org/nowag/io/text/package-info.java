/**
 * Reading text that comes from outside as it is written, or not at all: strict UTF-8 (with the offset of a bad byte)
 * and strict JSON (no repeated key, one value, bounded nesting). No Spark, no model knowledge.
 */
package org.nowag.io.text;
