package org.nowag.job.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.safetensors.SafetensorsFile;

/**
 * A command's output that is one file (calibrate's statistics, evaluate's evaluation.json), written whole under a
 * temp name and renamed (or, on S3, uploaded whole: {@code AtomicFiles}), and holding the fingerprint of the run
 * that wrote it: in a safetensors file's metadata under {@link #METADATA_KEY}, in a JSON file as its
 * {@code fingerprint} field. So a file at the path is always complete, and says which run it belongs to.
 */
public final class FileOutput {
    public enum State {
        /** Nothing there: write it. */
        ABSENT,
        /** Written by a run with this fingerprint: nothing to do. */
        COMPLETE,
        /** Written by another run (other inputs or settings), or not by nowag: refuse. */
        CONFLICT
    }

    public static final String METADATA_KEY = "nowag_fingerprint";

    private FileOutput() {}

    public static State safetensors(FileSystem fs, Path path, String fingerprint) throws IOException {
        if (!fs.exists(path)) return State.ABSENT;
        try (SafetensorsFile f = SafetensorsFile.open(fs, path)) {
            return fingerprint.equals(f.header().metadata().get(METADATA_KEY)) ? State.COMPLETE : State.CONFLICT;
        } catch (FileNotFoundException e) {
            return State.ABSENT;
        } catch (IOException | RuntimeException e) {
            return State.CONFLICT;  // not a safetensors file we can read: not ours to replace
        }
    }

    public static State json(FileSystem fs, Path path, String fingerprint) throws IOException {
        if (!fs.exists(path)) return State.ABSENT;
        try (InputStream in = fs.open(path)) {
            JsonNode n = new ObjectMapper().readTree(in);
            return n != null && fingerprint.equals(n.path("fingerprint").asText(null)) ? State.COMPLETE : State.CONFLICT;
        } catch (FileNotFoundException e) {
            return State.ABSENT;
        } catch (IOException | RuntimeException e) {
            return State.CONFLICT;
        }
    }

    /** The refusal: what is there, and the two ways on. */
    public static String conflict(String option, Path path, String what) {
        return option + " " + path + " already holds " + what + " from other inputs or settings (or not from nowag); "
                + "choose another " + option + ", or delete it to compute it again with these";
    }
}
