package org.nowag.io.tokenizer;

import java.util.ArrayList;
import java.util.List;

/** One step of tokenizer.json's "pre_tokenizer": splits a normalized piece of text into words for the model. */
interface PreTokenizer {
    /** firstSection: the piece starts the input (no added token before it), which Metaspace "first" needs. */
    List<String> split(String piece, boolean firstSection);

    default List<String> splitAll(List<String> pieces, boolean firstSection) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) out.addAll(split(pieces.get(i), firstSection && i == 0));
        return out;
    }

    PreTokenizer NONE = (piece, first) -> List.of(piece);
}
