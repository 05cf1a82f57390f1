package org.nowag.job.api;

import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where a command will write, checked before it writes anything: a regular file where a directory is expected (or
 * the reverse), or a regular file on the way to it, is refused naming the option, the path and what is there. Each
 * check reads only file statuses.
 */
public final class OutputTarget {
    private OutputTarget() {}

    /**
     * A directory a command creates or writes into (a run's output, demo's or bench's working directory): not a
     * regular file, nor under one. Whether a directory that exists holds this run or another is the run's to decide
     * (it compares fingerprints), not a pre-flight's.
     */
    public static Path directory(String option, String uri, Configuration conf) throws IOException {
        Path path = qualified(uri, conf);
        FileStatus st = statusOrAncestorsChecked(option, path, conf);
        if (st != null && !st.isDirectory()) {
            throw new IOException(option + " " + path + " is a regular file; give a directory (new or empty)");
        }
        return path;
    }

    /** A file a command writes: not an existing directory, not under a regular file; when mustNotExist, absent. */
    public static Path file(String option, String uri, boolean mustNotExist, Configuration conf) throws IOException {
        Path path = qualified(uri, conf);
        FileStatus st = statusOrAncestorsChecked(option, path, conf);
        if (st != null && st.isDirectory()) {
            throw new IOException(option + " " + path + " is a directory; give the path of a file to write");
        }
        if (st != null && mustNotExist) {
            throw new IOException(option + " " + path + " already exists; choose another path or remove it");
        }
        return path;
    }

    private static Path qualified(String uri, Configuration conf) throws IOException {
        Path path = new Path(uri);
        return path.getFileSystem(conf).makeQualified(path);
    }

    /** The path's status; when it does not exist, null once its nearest existing ancestor is known to be a directory. */
    private static FileStatus statusOrAncestorsChecked(String option, Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        FileStatus st = status(fs, path);
        if (st == null) checkAncestors(option, fs, path);
        return st;
    }

    /** The nearest existing ancestor must be a directory, or every write below it fails half-way. */
    private static void checkAncestors(String option, FileSystem fs, Path path) throws IOException {
        for (Path p = path.getParent(); p != null; p = p.getParent()) {
            FileStatus st = status(fs, p);
            if (st == null) continue;
            if (!st.isDirectory()) {
                throw new IOException(option + " " + path + ": " + p + " is a regular file, not a directory");
            }
            return;
        }
    }

    private static FileStatus status(FileSystem fs, Path p) throws IOException {
        try {
            return fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            return null;
        }
    }
}
