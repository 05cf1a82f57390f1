package org.nowag.job.commit;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.nowag.io.fs.AtomicFiles;

/**
 * One run's exclusive claim on an output directory: only the run that holds it writes the fingerprint, publishes or
 * deletes anything there. Claims are files OUT/_staging/claims/claim-NNNNNN, each created with an atomic exclusive
 * create ({@link AtomicFiles#createExclusive}): of two runs racing for the same number exactly one gets it, and the
 * other stops with a message naming the holder before it has changed anything. The newest claim rules.
 *
 * <p>A claim whose run is gone (a killed driver) is taken over by creating the next number. Gone means: on this
 * host, the process that made it is dead (or, in this JVM, the run has ended); on another host, its heartbeat (the
 * file's modification time, refreshed every third of {@code nowag.claim.lease.seconds}, default 120) is older than
 * the lease. A holder checks before publishing that no newer claim exists ({@link #check}), so a run that was
 * paused for longer than the lease and lost its claim stops without publishing.
 */
public final class OutputClaim implements AutoCloseable {
    public static final String LEASE_KEY = "nowag.claim.lease.seconds";
    private static final String PREFIX = "claim-";
    /** Tokens of the claims runs in this JVM hold now: a claim of this JVM whose token is absent is abandoned. */
    private static final Set<String> HELD = ConcurrentHashMap.newKeySet();
    private static final String HOST = host();
    private static final long PID = ProcessHandle.current().pid();
    private static final String PID_START = ProcessHandle.current().info().startInstant().map(Instant::toString)
            .orElse("?");

    /** Another live run holds the output. */
    public static final class Busy extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Busy(String message) { super(message); }
    }

    private final OutputLayout out;
    private final Path file;
    private final int number;
    private final String token;
    private final Thread heartbeat;
    private volatile boolean released;

    private OutputClaim(OutputLayout out, Path file, int number, String token, long leaseMillis) {
        this.out = out;
        this.file = file;
        this.number = number;
        this.token = token;
        this.heartbeat = new Thread(() -> beat(leaseMillis / 3), "nowag-claim-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
    }

    /** Claims out for this run, or throws {@link Busy} naming the live run that holds it. */
    public static OutputClaim acquire(OutputLayout out, Configuration conf, Consumer<String> log) throws IOException {
        long lease = conf.getLong(LEASE_KEY, 120) * 1000L;
        FileSystem fs = out.fs();
        for (int attempt = 0; attempt < 5; attempt++) {
            Latest latest = latest(out);
            int next = 1;
            if (latest != null) {
                String why = alive(latest, lease);
                if (why != null) {
                    throw new Busy("output directory " + out.root() + " is being written by another run ("
                            + latest.holder.getProperty("host") + ", pid " + latest.holder.getProperty("pid")
                            + ", since " + latest.holder.getProperty("since") + ": " + why + "); nothing was "
                            + "changed. Wait for that run, or choose another --out");
                }
                log.accept("taking over the claim on " + out.root() + " of a run that is gone ("
                        + latest.holder.getProperty("host") + ", pid " + latest.holder.getProperty("pid") + ")");
                next = latest.number + 1;
            }
            String token = UUID.randomUUID().toString();
            Path file = new Path(out.claimsDir(), String.format("%s%06d", PREFIX, next));
            HELD.add(token);
            if (AtomicFiles.createExclusive(fs, file, content(token))) {
                deleteOlder(fs, out, next);
                return new OutputClaim(out, file, next, token, lease);
            }
            HELD.remove(token);  // another run took this number first: look again (it is alive, so we stop)
        }
        throw new Busy("output directory " + out.root() + " is contended by other runs; nothing was changed. Wait "
                + "for them, or choose another --out");
    }

    /** The claims this one supersedes belong to runs that are gone (a live one would have refused us). */
    private static void deleteOlder(FileSystem fs, OutputLayout out, int number) throws IOException {
        for (FileStatus st : fs.listStatus(out.claimsDir())) {
            String name = st.getPath().getName();
            if (name.matches(PREFIX + "\\d{6}") && Integer.parseInt(name.substring(PREFIX.length())) < number) {
                fs.delete(st.getPath(), false);
            }
        }
    }

    /** Throws unless this run still holds the newest claim (call it before publishing or deleting anything). */
    public void check() throws IOException {
        Latest latest = latest(out);
        if (released || latest == null || latest.number != number || !token.equals(latest.holder.getProperty("token"))) {
            throw new Busy("this run lost its claim on " + out.root() + " to another run (it looked abandoned); it "
                    + "stops without publishing");
        }
    }

    /** Stops the heartbeat and deletes this run's claim file (the directories stay for whoever else is there). */
    public void release() {
        if (released) return;
        released = true;
        heartbeat.interrupt();
        try {
            heartbeat.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        HELD.remove(token);
        try {
            out.fs().delete(file, false);
        } catch (IOException ignored) {
            // a claim file left behind names a run that is gone: the next run takes it over
        }
    }

    @Override public void close() { release(); }

    private void beat(long everyMillis) {
        while (!released) {
            try {
                Thread.sleep(Math.max(1000, everyMillis));
            } catch (InterruptedException e) {
                return;
            }
            if (released) return;
            try {
                FileSystem fs = out.fs();
                if (AtomicFiles.writesDirectly(fs, file)) {
                    // Object stores keep the upload time only: refresh by writing the same content again.
                    try (var o = fs.create(file, true)) {
                        o.write(content(token));
                    }
                } else {
                    fs.setTimes(file, System.currentTimeMillis(), -1);
                }
            } catch (IOException ignored) {
                // a missed beat only shortens the lease others see
            }
        }
    }

    private static byte[] content(String token) {
        return ("token=" + token + "\nhost=" + HOST + "\npid=" + PID + "\npidStart=" + PID_START + "\nsince="
                + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static final class Latest {
        int number;
        FileStatus status;
        Properties holder = new Properties();
    }

    private static Latest latest(OutputLayout out) throws IOException {
        FileSystem fs = out.fs();
        FileStatus[] claims;
        try {
            claims = fs.listStatus(out.claimsDir());
        } catch (FileNotFoundException none) {
            return null;
        }
        Latest latest = null;
        for (FileStatus st : claims) {
            String name = st.getPath().getName();
            if (!st.isFile() || !name.matches(PREFIX + "\\d{6}")) continue;
            int n = Integer.parseInt(name.substring(PREFIX.length()));
            if (latest == null || n > latest.number) {
                latest = new Latest();
                latest.number = n;
                latest.status = st;
            }
        }
        if (latest == null) return null;
        try (FSDataInputStream in = fs.open(latest.status.getPath())) {
            latest.holder.load(new java.io.StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (FileNotFoundException gone) {
            return latest(out);  // released while we looked: look again
        }
        return latest;
    }

    /** Why the holder counts as alive, or null when its run is gone. */
    private static String alive(Latest claim, long leaseMillis) {
        Properties h = claim.holder;
        String token = h.getProperty("token");
        if (token == null) return "its claim is being written";
        if (HOST.equals(h.getProperty("host"))) {
            long pid;
            try {
                pid = Long.parseLong(h.getProperty("pid", "-1"));
            } catch (NumberFormatException e) {
                pid = -1;
            }
            if (pid == PID && PID_START.equals(h.getProperty("pidStart"))) {
                return HELD.contains(token) ? "a run in this JVM" : null;
            }
            var process = ProcessHandle.of(pid);
            if (process.isEmpty()) return null;
            String start = process.get().info().startInstant().map(Instant::toString).orElse("?");
            return start.equals(h.getProperty("pidStart")) ? "its process is alive" : null;
        }
        long age = System.currentTimeMillis() - claim.status.getModificationTime();
        return age < leaseMillis ? "its heartbeat is " + age / 1000 + " s old, the lease " + leaseMillis / 1000 + " s"
                : null;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
