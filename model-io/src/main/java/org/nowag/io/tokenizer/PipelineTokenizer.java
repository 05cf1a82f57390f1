package org.nowag.io.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * HF's tokenizer pipeline: added tokens are cut out of the raw text first; each remaining piece is normalized,
 * pre-tokenized into words and tokenized by the model; the post-processor's special tokens go around the result.
 * WordPiece (BERT), byte-level BPE (GPT-2, Llama-3, Qwen) and SentencePiece-style BPE (Llama-2) are this one
 * pipeline with different parts, as in tokenizer.json itself.
 */
final class PipelineTokenizer implements Tokenizer {
    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final TokenModel model;
    private final SpecialTokenTemplate template;
    private final Decoder decoder;
    private final AddedTokenSplitter splitter;
    private final Map<Integer, AddedToken> addedById;
    private final int vocabSize;
    private final OptionalInt bos;
    private final OptionalInt eos;
    private final OptionalInt pad;

    PipelineTokenizer(Normalizer normalizer, PreTokenizer preTokenizer, TokenModel model, SpecialTokenTemplate template,
            Decoder decoder, List<AddedToken> added, Map<Integer, AddedToken> addedById, int vocabSize,
            OptionalInt bos, OptionalInt eos, OptionalInt pad) {
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.model = model;
        this.template = template;
        this.decoder = decoder;
        this.splitter = new AddedTokenSplitter(added);
        this.addedById = addedById;
        this.vocabSize = vocabSize;
        this.bos = bos;
        this.eos = eos;
        this.pad = pad;
    }

    @Override
    public int[] encode(String text) {
        IntList out = new IntList();
        out.addAll(template.before);
        for (AddedTokenSplitter.Piece piece : splitter.split(text)) {
            if (piece.token != null) {
                out.add(piece.token.id);
                continue;
            }
            String normalized = normalizer.normalize(piece.text);
            if (normalized.isEmpty()) continue;
            for (String word : preTokenizer.split(normalized, piece.first)) model.tokenize(word, out);
        }
        out.addAll(template.after);
        return out.toArray();
    }

    @Override
    public String decode(int[] ids) {
        List<String> parts = new ArrayList<>();
        List<String> run = new ArrayList<>();
        for (int id : ids) {
            AddedToken added = addedById.get(id);
            if (added != null) {
                flush(run, parts);
                if (!added.special) parts.add(added.content);
                continue;
            }
            String token = model.vocab().token(id);
            if (token == null) throw new IllegalArgumentException("token id " + id + " is not in the vocabulary (size " + vocabSize + ")");
            run.add(token);
        }
        flush(run, parts);
        return String.join("", parts);
    }

    private void flush(List<String> run, List<String> parts) {
        if (run.isEmpty()) return;
        parts.addAll(decoder.decodeChain(run));
        run.clear();
    }

    @Override public int vocabSize() { return vocabSize; }
    @Override public OptionalInt bosId() { return bos; }
    @Override public OptionalInt eosId() { return eos; }
    @Override public OptionalInt padId() { return pad; }
}
