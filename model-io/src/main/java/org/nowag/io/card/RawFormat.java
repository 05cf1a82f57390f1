package org.nowag.io.card;

/**
 * The formats whose weights are not dense tensors under the original names (a standard loader must not take them for
 * the base architecture). Each declares itself in config.json: a model_type and an architecture no library knows, so
 * {@code AutoConfig.from_pretrained} refuses the folder before any weight is read (docs/output-format.md cites the
 * transformers source), and a {@code quantization_config} naming the method and the version of its tensor layout.
 */
public enum RawFormat {
    NOWAG_VQ("nowag-vq", "nowag-vq-v1", "nowag_vq", "NowagVqCompressedModel"),
    ARMOR("armor", "nowag-armor-v1", "nowag_armor", "NowagArmorCompressedModel"),
    RTN("rtn", "nowag-rtn-v1", "nowag_rtn", "NowagRtnCompressedModel");

    /** The layout version every reader here understands; a newer one is refused with a clear message. */
    public static final int FORMAT_VERSION = 1;

    /** quantization_config.quant_method. */
    public final String quantMethod;
    /** The legacy compression block's "format" (outputs written before format_version existed). */
    public final String legacyFormat;
    /** config.json model_type of a raw output. */
    public final String modelType;
    /** config.json architectures[0] of a raw output. */
    public final String architecture;

    RawFormat(String quantMethod, String legacyFormat, String modelType, String architecture) {
        this.quantMethod = quantMethod;
        this.legacyFormat = legacyFormat;
        this.modelType = modelType;
        this.architecture = architecture;
    }

    /** The format a quant_method names, or null when it is none of ours. */
    public static RawFormat ofQuantMethod(String quantMethod) {
        for (RawFormat f : values()) if (f.quantMethod.equals(quantMethod)) return f;
        return null;
    }

    /** The format an old compression block's "format" names, or null. */
    public static RawFormat ofLegacyFormat(String format) {
        for (RawFormat f : values()) if (f.legacyFormat.equals(format)) return f;
        return null;
    }
}
