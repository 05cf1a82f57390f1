package org.nowag.io.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BPE as HF's tokenizers runs it: a word starts as one symbol per character (or, with byte_fallback, one
 * {@code <0xNN>} symbol per UTF-8 byte of a character the vocabulary lacks), then the pair with the lowest merge
 * rank is merged, leftmost first, until no pair has a merge. Byte-level BPE (GPT-2, Llama-3, Qwen) and
 * SentencePiece-style BPE (Llama-2) differ only in the pre-tokenizer and these options.
 */
final class BpeModel implements TokenModel {
    /** Words up to this many chars are cached; SentencePiece-style inputs are whole sentences and are not. */
    private static final int CACHE_WORD_CHARS = 64;
    private static final int CACHE_ENTRIES = 100_000;

    private final Vocab vocab;
    private final MergeTable merges;
    private final int unkId;
    private final boolean fuseUnk;
    private final boolean byteFallback;
    private final boolean ignoreMerges;
    private final String prefix;
    private final String suffix;
    private final int[] byteIds;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    private BpeModel(Vocab vocab, MergeTable merges, int unkId, boolean fuseUnk, boolean byteFallback,
            boolean ignoreMerges, String prefix, String suffix) {
        this.vocab = vocab;
        this.merges = merges;
        this.unkId = unkId;
        this.fuseUnk = fuseUnk;
        this.byteFallback = byteFallback;
        this.ignoreMerges = ignoreMerges;
        this.prefix = prefix;
        this.suffix = suffix;
        this.byteIds = new int[256];
        for (int b = 0; b < 256; b++) byteIds[b] = vocab.id(String.format("<0x%02X>", b));
    }

    static BpeModel fromJson(String file, JsonNode model) throws TokenizerFormatException {
        Vocab vocab = Vocab.fromJson(file, model);
        String prefix = Json.optText(model, "continuing_subword_prefix", "");
        String suffix = Json.optText(model, "end_of_word_suffix", "");
        JsonNode list = Json.array(file, model, "merges", "model");
        MergeTable merges = new MergeTable(list.size());
        for (int rank = 0; rank < list.size(); rank++) {
            JsonNode m = list.get(rank);
            String a;
            String b;
            // Older files write "a b"; newer ones (tokenizers >= 0.20) write ["a", "b"] so tokens may hold spaces.
            if (m.isTextual()) {
                String s = m.asText();
                int sp = s.indexOf(' ');
                if (sp < 0) throw new TokenizerFormatException(file, "model.merges[" + rank + "] \"" + s + "\" is not \"a b\"");
                a = s.substring(0, sp);
                b = s.substring(sp + 1);
            } else if (m.isArray() && m.size() == 2) {
                a = m.get(0).asText();
                b = m.get(1).asText();
            } else {
                throw new TokenizerFormatException(file, "model.merges[" + rank + "] is neither \"a b\" nor [a, b]");
            }
            int ia = vocab.id(a);
            int ib = vocab.id(b);
            String merged = a + (b.startsWith(prefix) ? b.substring(prefix.length()) : b);
            int im = vocab.id(merged);
            if (ia < 0 || ib < 0 || im < 0) {
                throw new TokenizerFormatException(file, "model.merges[" + rank + "] (\"" + a + "\", \"" + b
                        + "\") uses a token missing from model.vocab");
            }
            merges.putIfAbsent(ia, ib, rank, im);
        }
        String unk = Json.optText(model, "unk_token", null);
        int unkId = unk == null ? -1 : vocab.id(unk);
        if (unk != null && unkId < 0) throw new TokenizerFormatException(file, "model.unk_token \"" + unk + "\" is not in model.vocab");
        if (model.hasNonNull("dropout") && model.get("dropout").asDouble() > 0) {
            throw new TokenizerFormatException(file, "model.dropout > 0 (random BPE) is not supported");
        }
        return new BpeModel(vocab, merges, unkId, Json.optBool(model, "fuse_unk", false),
                Json.optBool(model, "byte_fallback", false), Json.optBool(model, "ignore_merges", false), prefix, suffix);
    }

    @Override
    public Vocab vocab() { return vocab; }

    @Override
    public void tokenize(String word, IntList out) {
        if (word.isEmpty()) return;
        if (ignoreMerges) {
            int whole = vocab.id(word);
            if (whole >= 0) {
                out.add(whole);
                return;
            }
        }
        boolean cacheable = word.length() <= CACHE_WORD_CHARS;
        int[] ids = cacheable ? cache.get(word) : null;
        if (ids == null) {
            ids = merge(initialSymbols(word));
            if (cacheable) {
                if (cache.size() >= CACHE_ENTRIES) cache.clear();
                cache.put(word, ids);
            }
        }
        out.addAll(ids);
    }

    /** One symbol per character, with the continuation prefix / end-of-word suffix where the model uses them. */
    private int[] initialSymbols(String word) {
        IntList syms = new IntList();
        int[] cps = word.codePoints().toArray();
        boolean lastWasUnk = false;
        for (int i = 0; i < cps.length; i++) {
            String c = new String(cps, i, 1);
            if (i > 0) c = prefix + c;
            if (i == cps.length - 1) c = c + suffix;
            int id = vocab.id(c);
            if (id >= 0) {
                syms.add(id);
                lastWasUnk = false;
                continue;
            }
            if (byteFallback && addBytes(new String(cps, i, 1), syms)) {
                lastWasUnk = false;
                continue;
            }
            if (unkId < 0) continue; // HF drops a character it can neither find nor replace
            if (!(fuseUnk && lastWasUnk)) syms.add(unkId);
            lastWasUnk = true;
        }
        return syms.toArray();
    }

    private boolean addBytes(String c, IntList syms) {
        byte[] bytes = c.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) if (byteIds[b & 0xFF] < 0) return false;
        for (byte b : bytes) syms.add(byteIds[b & 0xFF]);
        return true;
    }

    /** Lowest rank first, then leftmost; a queue entry whose pair has changed since it was queued is skipped. */
    private int[] merge(int[] ids) {
        int n = ids.length;
        if (n < 2) return ids;
        int[] next = new int[n];
        int[] prev = new int[n];
        boolean[] dead = new boolean[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        PriorityQueue<Long> queue = new PriorityQueue<>();
        for (int i = 0; i + 1 < n; i++) offer(queue, ids, i, i + 1);
        while (!queue.isEmpty()) {
            long top = queue.poll();
            int pos = (int) top;
            int rank = (int) (top >>> 32);
            if (dead[pos] || next[pos] < 0) continue;
            int right = next[pos];
            long m = merges.get(ids[pos], ids[right]);
            if (m < 0 || (int) (m >>> 32) != rank) continue;
            ids[pos] = (int) m;
            dead[right] = true;
            next[pos] = next[right];
            if (next[pos] >= 0) prev[next[pos]] = pos;
            if (prev[pos] >= 0) offer(queue, ids, prev[pos], pos);
            if (next[pos] >= 0) offer(queue, ids, pos, next[pos]);
        }
        IntList out = new IntList();
        for (int i = 0; i >= 0; i = next[i]) out.add(ids[i]);
        return out.toArray();
    }

    private void offer(PriorityQueue<Long> queue, int[] ids, int left, int right) {
        long m = merges.get(ids[left], ids[right]);
        if (m >= 0) queue.add((m & 0xFFFFFFFF00000000L) | left);
    }
}
