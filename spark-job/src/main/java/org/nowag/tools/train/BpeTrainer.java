package org.nowag.tools.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import org.nowag.io.tokenizer.ByteLevelAlphabet;
import org.nowag.io.tokenizer.ByteLevelPreTokenizer;

/**
 * Trains a byte-level BPE vocabulary (GPT-2 style) on text: the text is split with GPT-2's pattern (the same one
 * the project's tokenizer applies), each piece becomes its UTF-8 bytes in the byte-level alphabet, and the most
 * frequent adjacent pair is merged until the vocabulary has the requested size. Ties go to the pair whose merged
 * string sorts first, so the result depends only on the text.
 *
 * <p>Ids: the special tokens first, then the 256 byte symbols in byte order, then one id per merge.
 */
public final class BpeTrainer {
    private final int vocabSize;
    private final List<String> specialTokens;
    private final Map<String, Long> wordCounts = new HashMap<>();

    public BpeTrainer(int vocabSize, List<String> specialTokens) {
        int minimum = specialTokens.size() + 256 + 1;
        if (vocabSize < minimum) {
            throw new IllegalArgumentException("vocab size " + vocabSize + " is too small: byte-level BPE needs the "
                    + specialTokens.size() + " special tokens, 256 bytes and at least one merge (>= " + minimum + ")");
        }
        this.vocabSize = vocabSize;
        this.specialTokens = List.copyOf(specialTokens);
    }

    /** Counts the pre-tokenized words of one document. */
    public void add(String text) {
        Matcher m = ByteLevelPreTokenizer.GPT2.matcher(text);
        while (m.find()) {
            if (m.end() > m.start()) wordCounts.merge(ByteLevelAlphabet.encode(m.group()), 1L, Long::sum);
        }
    }

    /** The trained vocabulary (token -> id, in id order) and merges (in rank order). */
    public record Result(LinkedHashMap<String, Integer> vocab, List<String[]> merges, List<String> specialTokens) {}

    public Result train() {
        List<String> symbols = new ArrayList<>(specialTokens);
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < specialTokens.size(); i++) ids.put(specialTokens.get(i), i);
        for (int b = 0; b < 256; b++) {
            String s = String.valueOf(ByteLevelAlphabet.charOf(b));
            ids.put(s, symbols.size());
            symbols.add(s);
        }
        // Words in sorted order so ids and ties never depend on hash order.
        TreeMap<String, Long> sorted = new TreeMap<>(wordCounts);
        int[][] words = new int[sorted.size()][];
        long[] counts = new long[sorted.size()];
        int w = 0;
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            String word = e.getKey();
            int[] syms = new int[word.length()];
            for (int i = 0; i < word.length(); i++) syms[i] = ids.get(String.valueOf(word.charAt(i)));
            words[w] = syms;
            counts[w++] = e.getValue();
        }
        Map<Long, Long> pairCounts = new HashMap<>();
        Map<Long, Set<Integer>> where = new HashMap<>();
        for (int i = 0; i < words.length; i++) addPairs(words[i], counts[i], i, pairCounts, where);

        PriorityQueue<Candidate> queue = new PriorityQueue<>();
        for (Map.Entry<Long, Long> e : pairCounts.entrySet()) queue.add(new Candidate(e.getKey(), e.getValue(), symbols));

        List<String[]> merges = new ArrayList<>();
        while (symbols.size() < vocabSize && !queue.isEmpty()) {
            Candidate best = queue.poll();
            Long current = pairCounts.get(best.pair);
            if (current == null || current != best.count || best.count <= 0) continue; // stale entry
            int a = (int) (best.pair >>> 32);
            int b = (int) best.pair;
            String merged = symbols.get(a) + symbols.get(b);
            // Two pairs can spell the same string ("ab"+"c", "a"+"bc"): the token keeps its first id.
            Integer existing = ids.get(merged);
            int id = existing != null ? existing : symbols.size();
            if (existing == null) {
                symbols.add(merged);
                ids.put(merged, id);
            }
            merges.add(new String[] {symbols.get(a), symbols.get(b)});
            Set<Long> touched = new HashSet<>();
            for (int wi : where.remove(best.pair).stream().sorted().toList()) {
                int[] old = words[wi];
                int[] next = merge(old, a, b, id);
                if (next.length == old.length) continue;
                removePairs(old, counts[wi], pairCounts, touched);
                words[wi] = next;
                addPairs(next, counts[wi], wi, pairCounts, where);
                collectPairs(next, touched);
            }
            pairCounts.remove(best.pair);
            for (long p : touched) {
                Long c = pairCounts.get(p);
                if (c != null && c > 0 && p != best.pair) queue.add(new Candidate(p, c, symbols));
            }
        }
        LinkedHashMap<String, Integer> vocab = new LinkedHashMap<>();
        for (int i = 0; i < symbols.size(); i++) vocab.put(symbols.get(i), i);
        return new Result(vocab, merges, specialTokens);
    }

    private static int[] merge(int[] syms, int a, int b, int id) {
        int[] out = new int[syms.length];
        int n = 0;
        for (int i = 0; i < syms.length; i++) {
            if (i + 1 < syms.length && syms[i] == a && syms[i + 1] == b) {
                out[n++] = id;
                i++;
            } else {
                out[n++] = syms[i];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private static void addPairs(int[] syms, long count, int word, Map<Long, Long> pairCounts, Map<Long, Set<Integer>> where) {
        for (int i = 0; i + 1 < syms.length; i++) {
            long k = key(syms[i], syms[i + 1]);
            pairCounts.merge(k, count, Long::sum);
            where.computeIfAbsent(k, x -> new HashSet<>()).add(word);
        }
    }

    private static void removePairs(int[] syms, long count, Map<Long, Long> pairCounts, Set<Long> touched) {
        for (int i = 0; i + 1 < syms.length; i++) {
            long k = key(syms[i], syms[i + 1]);
            pairCounts.merge(k, -count, Long::sum);
            touched.add(k);
        }
    }

    private static void collectPairs(int[] syms, Set<Long> touched) {
        for (int i = 0; i + 1 < syms.length; i++) touched.add(key(syms[i], syms[i + 1]));
    }

    /** Highest count first; ties by the merged string, then by the pair. */
    private static final class Candidate implements Comparable<Candidate> {
        final long pair;
        final long count;
        final String merged;

        Candidate(long pair, long count, List<String> symbols) {
            this.pair = pair;
            this.count = count;
            this.merged = symbols.get((int) (pair >>> 32)) + "\u0000" + symbols.get((int) pair);
        }

        @Override
        public int compareTo(Candidate o) {
            if (count != o.count) return Long.compare(o.count, count);
            int c = merged.compareTo(o.merged);
            return c != 0 ? c : Long.compare(pair, o.pair);
        }
    }
}
