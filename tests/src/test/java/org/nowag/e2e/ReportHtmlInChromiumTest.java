package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.Compressor;

/**
 * report.html opened in a real headless Chromium (Debian's `chromium`, installed by .ci/run): the page renders and
 * its three kinds of plot are drawn, seen as pixels of each plot's bar colour in the screenshot.
 */
class ReportHtmlInChromiumTest {
    static final String CHROMIUM = System.getProperty("nowag.chromium", "/usr/bin/chromium");

    @TempDir Path tmp;

    @Test
    void chromiumRendersTheProxyLossSparsityAndTimePlots() throws Exception {
        assertTrue(Files.isExecutable(Path.of(CHROMIUM)),
                CHROMIUM + " is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does");
        Path out = tmp.resolve("minilm-wanda24");
        new Compressor(Fixtures.spark(), null).run(new CompressOptions().model(Fixtures.miniLm().toString())
                .out(out.toString()).method(CompressionMethod.WANDA));
        Path png = tmp.resolve("report.png");
        // The flags a root, offline machine needs: no sandbox, and no background calls to Google's hosts.
        Process chromium = new ProcessBuilder(List.of(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + tmp.resolve("profile"),
                "--window-size=1400,6000", "--screenshot=" + png, out.resolve("report.html").toUri().toString()))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
        assertTrue(chromium.waitFor(120, TimeUnit.SECONDS), "chromium did not finish within 120 s");
        assertEquals(0, chromium.exitValue(), Files.readString(tmp.resolve("chromium.log")));
        assertTrue(Files.size(png) > 0, "screenshot written");
        // Kept for people to look at.
        Path keep = Path.of("target", "report-screenshot.png");
        Files.createDirectories(keep.getParent());
        Files.copy(png, keep, StandardCopyOption.REPLACE_EXISTING);

        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() >= 1000 && image.getHeight() >= 1000, image.getWidth() + "x" + image.getHeight());
        // Bar colours from HtmlReport's stylesheet: proxy loss, sparsity, time.
        assertTrue(pixels(image, 0x3a6ea5) > 2000, "proxy-loss bars drawn: " + pixels(image, 0x3a6ea5));
        assertTrue(pixels(image, 0x5a9e4b) > 500, "sparsity bars drawn: " + pixels(image, 0x5a9e4b));
        assertTrue(pixels(image, 0xc07a2c) > 500, "time bars drawn: " + pixels(image, 0xc07a2c));
    }

    /** Pixels within a small distance of an RGB colour (antialiasing blurs edges only). */
    static long pixels(BufferedImage image, int rgb) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                int dr = ((p >> 16) & 255) - ((rgb >> 16) & 255);
                int dg = ((p >> 8) & 255) - ((rgb >> 8) & 255);
                int db = (p & 255) - (rgb & 255);
                if (dr * dr + dg * dg + db * db < 100) n++;
            }
        }
        return n;
    }
}
