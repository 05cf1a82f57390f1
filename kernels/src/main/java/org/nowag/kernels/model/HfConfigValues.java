package org.nowag.kernels.model;

import java.util.Map;

/** Typed reads of a parsed HF config.json (a Map as Jackson or any JSON parser gives it), with errors naming the key. */
final class HfConfigValues {
    private final Map<String, ?> json;
    private final String what;

    HfConfigValues(Map<String, ?> json, String what) {
        if (json == null) throw new IllegalArgumentException(what + ": config is null");
        this.json = json;
        this.what = what;
    }

    boolean has(String key) {
        return json.get(key) != null;
    }

    int requireInt(String key) {
        Object v = json.get(key);
        if (v == null) throw new IllegalArgumentException(what + " config.json: missing \"" + key + "\"");
        return toInt(key, v);
    }

    int intOr(String key, int fallback) {
        Object v = json.get(key);
        return v == null ? fallback : toInt(key, v);
    }

    double doubleOr(String key, double fallback) {
        Object v = json.get(key);
        if (v == null) return fallback;
        if (!(v instanceof Number)) throw bad(key, v, "a number");
        return ((Number) v).doubleValue();
    }

    boolean boolOr(String key, boolean fallback) {
        Object v = json.get(key);
        if (v == null) return fallback;
        if (!(v instanceof Boolean)) throw bad(key, v, "true or false");
        return (Boolean) v;
    }

    String stringOr(String key, String fallback) {
        Object v = json.get(key);
        if (v == null) return fallback;
        if (!(v instanceof String)) throw bad(key, v, "a string");
        return (String) v;
    }

    /** A nested object (e.g. rope_scaling), or null. */
    @SuppressWarnings("unchecked")
    HfConfigValues objectOrNull(String key) {
        Object v = json.get(key);
        if (v == null) return null;
        if (!(v instanceof Map)) throw bad(key, v, "an object");
        return new HfConfigValues((Map<String, ?>) v, what + " \"" + key + "\"");
    }

    private int toInt(String key, Object v) {
        if (!(v instanceof Number)) throw bad(key, v, "an integer");
        double d = ((Number) v).doubleValue();
        if (d != Math.rint(d) || d < Integer.MIN_VALUE || d > Integer.MAX_VALUE) throw bad(key, v, "an integer");
        return (int) d;
    }

    private IllegalArgumentException bad(String key, Object v, String expected) {
        return new IllegalArgumentException(what + " config.json: \"" + key + "\" is " + v + ", expected " + expected);
    }
}
