package org.nowag.io.tokenizer;

import java.util.List;

/** One step of tokenizer.json's "decoder": a list of token strings in, a list out (HF's decode_chain). */
@FunctionalInterface
interface Decoder {
    List<String> decodeChain(List<String> tokens);
}
