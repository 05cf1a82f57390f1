package org.nowag.tools.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.io.tokenizer.ByteLevelAlphabet;
import org.nowag.io.tokenizer.ByteLevelPreTokenizer;
import org.nowag.io.tokenizer.Tokenizer;
import org.nowag.io.tokenizer.TokenizerLoader;

class BpeTrainerTest {
    /** George Washington, first annual message, 1790 (public domain), with some non-ASCII text appended. */
    static final String TEXT = "Fellow-Citizens of the Senate and House of Representatives: I embrace with great "
            + "satisfaction the opportunity which now presents itself of congratulating you on the present favorable "
            + "prospects of our public affairs. The recent accession of the important State of North Carolina to the "
            + "Constitution of the United States (of which official information has been received), the rising credit "
            + "and respectability of our country, the general and increasing good will toward the Government of the "
            + "Union, and the concord, peace, and plenty with which we are blessed are circumstances auspicious in an "
            + "eminent degree to our national prosperity. In resuming your consultations for the general good you can "
            + "not but derive encouragement from the reflection that the measures of the last session have been as "
            + "satisfactory to your constituents as the novelty and difficulty of the work allowed you to hope. "
            + "Café naïve — “quoted” 1790–1791, déjà vu; Ahab’s whale: 鯨.";

    @Test
    void mergesEqualANaiveRecountingReference() {
        BpeTrainer trainer = new BpeTrainer(420, List.of("<|endoftext|>"));
        trainer.add(TEXT);
        BpeTrainer.Result fast = trainer.train();
        List<String[]> slow = naiveMerges(TEXT, 420 - 257);  // 1 special token + 256 bytes
        assertEquals(slow.size(), fast.merges().size());
        for (int i = 0; i < slow.size(); i++) {
            assertArrayEquals(slow.get(i), fast.merges().get(i), "merge " + i);
        }
        assertEquals(420, fast.vocab().size());
        assertEquals(0, fast.vocab().get("<|endoftext|>"));
    }

    @Test
    void tokenizerJsonLoadsInTheProjectTokenizerAndRoundTrips(@TempDir Path dir) throws Exception {
        BpeTrainer trainer = new BpeTrainer(400, List.of("<|endoftext|>"));
        trainer.add(TEXT);
        TokenizerFiles.write(trainer.train(), 64, dir);
        Tokenizer t = TokenizerLoader.load(FileSystem.getLocal(new Configuration()), new org.apache.hadoop.fs.Path(dir.toUri()));
        assertEquals(400, t.vocabSize());
        assertEquals(0, t.eosId().getAsInt());
        assertEquals(0, t.bosId().getAsInt());
        int[] ids = t.encode(TEXT);
        assertEquals(TEXT, t.decode(ids));
        assertTrue(ids.length < TEXT.getBytes(java.nio.charset.StandardCharsets.UTF_8).length / 2,
                "BPE should compress its own training text: " + ids.length + " tokens");
        String unseen = "Zebras quietly juxtapose 42 ☃ snowmen.";
        assertEquals(unseen, t.decode(t.encode(unseen)));
        assertEquals(1, t.encode(" the").length, "a frequent word is one token");
    }

    @Test
    void sameTextSameTokenizer() {
        BpeTrainer a = new BpeTrainer(350, List.of("<|endoftext|>"));
        BpeTrainer b = new BpeTrainer(350, List.of("<|endoftext|>"));
        a.add(TEXT);
        b.add(TEXT);
        BpeTrainer.Result ra = a.train();
        BpeTrainer.Result rb = b.train();
        assertEquals(ra.vocab(), rb.vocab());
        assertEquals(ra.merges().size(), rb.merges().size());
    }

    @Test
    void vocabularyTooSmallIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(200, List.of("<|endoftext|>")));
        assertTrue(e.getMessage().contains("vocab size 200 is too small"), e.getMessage());
    }

    /** The textbook algorithm: recount every pair of every word before each merge, until count new tokens exist. */
    static List<String[]> naiveMerges(String text, int count) {
        java.util.Set<String> made = new java.util.HashSet<>();
        Map<String, Long> words = new TreeMap<>();
        Matcher m = ByteLevelPreTokenizer.GPT2.matcher(text);
        while (m.find()) words.merge(ByteLevelAlphabet.encode(m.group()), 1L, Long::sum);
        List<List<String>> split = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (Map.Entry<String, Long> e : words.entrySet()) {
            List<String> s = new ArrayList<>();
            for (char c : e.getKey().toCharArray()) s.add(String.valueOf(c));
            split.add(s);
            counts.add(e.getValue());
        }
        List<String[]> merges = new ArrayList<>();
        while (made.size() < count) {
            Map<List<String>, Long> pairs = new HashMap<>();
            for (int w = 0; w < split.size(); w++) {
                List<String> s = split.get(w);
                for (int i = 0; i + 1 < s.size(); i++) pairs.merge(List.of(s.get(i), s.get(i + 1)), counts.get(w), Long::sum);
            }
            List<String> best = null;
            long bestCount = 0;
            for (Map.Entry<List<String>, Long> e : pairs.entrySet()) {
                List<String> p = e.getKey();
                long c = e.getValue();
                if (best == null || c > bestCount
                        || (c == bestCount && (p.get(0) + "\u0000" + p.get(1)).compareTo(best.get(0) + "\u0000" + best.get(1)) < 0)) {
                    best = p;
                    bestCount = c;
                }
            }
            if (best == null) break;
            merges.add(new String[] {best.get(0), best.get(1)});
            made.add(best.get(0) + best.get(1));
            for (List<String> s : split) {
                for (int i = 0; i + 1 < s.size(); i++) {
                    if (s.get(i).equals(best.get(0)) && s.get(i + 1).equals(best.get(1))) {
                        s.set(i, best.get(0) + best.get(1));
                        s.remove(i + 1);
                    }
                }
            }
        }
        return merges;
    }
}
