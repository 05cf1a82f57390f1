package org.nowag.io.tokenizer;

/**
 * BERT's WordPiece: greedy longest match from the left, pieces after the first carry the continuation prefix
 * ("##"); a word that cannot be covered, or is longer than max_input_chars_per_word, becomes one [UNK].
 */
final class WordPieceModel implements TokenModel {
    private final Vocab vocab;
    private final int unkId;
    private final String prefix;
    private final int maxChars;

    WordPieceModel(Vocab vocab, int unkId, String prefix, int maxChars) {
        this.vocab = vocab;
        this.unkId = unkId;
        this.prefix = prefix;
        this.maxChars = maxChars;
    }

    @Override
    public void tokenize(String word, IntList out) {
        int[] cps = word.codePoints().toArray();
        if (cps.length > maxChars) {
            out.add(unkId);
            return;
        }
        IntList pieces = new IntList();
        int start = 0;
        while (start < cps.length) {
            int found = -1;
            int end = cps.length;
            while (start < end) {
                String sub = new String(cps, start, end - start);
                int id = vocab.id(start > 0 ? prefix + sub : sub);
                if (id >= 0) {
                    found = id;
                    break;
                }
                end--;
            }
            if (found < 0) {
                out.add(unkId);
                return;
            }
            pieces.add(found);
            start = end;
        }
        out.addAll(pieces.toArray());
    }

    @Override
    public Vocab vocab() { return vocab; }
}
