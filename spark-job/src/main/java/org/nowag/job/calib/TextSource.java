package org.nowag.job.calib;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.text.StrictUtf8;

/**
 * Plain UTF-8 text for calibration and evaluation: each argument is a file or a directory (then every
 * {@code .txt} file directly inside it, in name order). One string per file, in the order given.
 */
public final class TextSource {
    private TextSource() {}

    public static List<String> read(List<String> uris, Configuration conf) throws IOException {
        List<String> texts = new ArrayList<>();
        for (String uri : uris) {
            Path p = new Path(uri);
            FileSystem fs = p.getFileSystem(conf);
            if (!fs.exists(p)) throw new IOException("text " + uri + " does not exist");
            if (fs.getFileStatus(p).isDirectory()) {
                FileStatus[] files = fs.listStatus(p, f -> f.getName().endsWith(".txt"));
                Arrays.sort(files, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
                if (files.length == 0) throw new IOException("text directory " + uri + " holds no .txt file");
                for (FileStatus f : files) texts.add(readFile(fs, f.getPath()));
            } else {
                texts.add(readFile(fs, p));
            }
        }
        return texts;
    }

    /** Strict UTF-8: a lenient decode would turn bad bytes into U+FFFD and feed the model other tokens. */
    private static String readFile(FileSystem fs, Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return StrictUtf8.decode(in.readAllBytes());
        } catch (StrictUtf8.MalformedUtf8Exception e) {
            throw new IOException("text " + p + ": " + e.getMessage() + "; text must be UTF-8");
        }
    }
}
