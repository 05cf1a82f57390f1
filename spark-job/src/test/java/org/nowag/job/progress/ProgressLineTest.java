package org.nowag.job.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    @Test
    void lineShowsDoneOfTotalPercentRateAndRemainingTimeAtThatRate() {
        // 12 of 36 in 4 s: 3 tasks/s, 24 left -> 8 s.
        assertEquals("nowag compress: 12/36 tasks (33%), 3.00 tasks/s, ETA 8s",
                ProgressLine.format("nowag compress", 12, 36, 0, 4.0));
    }

    @Test
    void rateAndEtaAreUnknownUntilTheFirstTaskEnds() {
        assertEquals("nowag compress: 0/36 tasks (0%), -- tasks/s, ETA --", ProgressLine.format("nowag compress", 0, 36, 0, 5.0));
        assertEquals("x: 3/4 tasks (75%), -- tasks/s, ETA --", ProgressLine.format("x", 3, 4, 0, 0.0));
    }

    @Test
    void finishedJobHasZeroEtaAndFastRatesHaveNoDecimals() {
        assertEquals("x: 40/40 tasks (100%), 20 tasks/s, ETA 0s", ProgressLine.format("x", 40, 40, 0, 2.0));
    }

    @Test
    void failedAttemptsAreShownOnlyWhenThereAreSome() {
        assertEquals("x: 1/2 tasks (50%), 1.00 tasks/s, ETA 1s, 1 failed attempt (retried)", ProgressLine.format("x", 1, 2, 1, 1.0));
        assertEquals("x: 1/2 tasks (50%), 1.00 tasks/s, ETA 1s, 3 failed attempts (retried)", ProgressLine.format("x", 1, 2, 3, 1.0));
    }

    @Test
    void bytesReadAndWrittenAppearWhenNonZeroAndLogLinesSayHowLongTheJobRan() {
        assertEquals("nowag compress: 12/36 tasks (33%), 3.00 tasks/s, 1.21 GB read, 604 MB written, ETA 8s",
                ProgressLine.format("nowag compress", 12, 36, 0, 4.0, 1_210_000_000L, 604_000_000L, false));
        assertEquals("x: 12/36 tasks (33%), 3.00 tasks/s, 5.00 kB read, 4s elapsed, ETA 8s",
                ProgressLine.format("x", 12, 36, 0, 4.0, 5000, 0, true));
        assertEquals("x: 0/3 tasks (0%), -- tasks/s, 1m40s elapsed, ETA --", ProgressLine.format("x", 0, 3, 0, 100, 0, 0, true));
    }

    @Test
    void bytesUseThreeSignificantDigitsInDecimalUnits() {
        assertEquals("0 B", ProgressLine.bytes(0));
        assertEquals("999 B", ProgressLine.bytes(999));
        assertEquals("1.00 kB", ProgressLine.bytes(1000));
        assertEquals("12.3 kB", ProgressLine.bytes(12_345));
        assertEquals("999 kB", ProgressLine.bytes(999_400));
        assertEquals("1.00 MB", ProgressLine.bytes(999_600));
        assertEquals("123 MB", ProgressLine.bytes(123_456_789));
        assertEquals("140 GB", ProgressLine.bytes(140_000_000_000L));
        assertEquals("1.50 TB", ProgressLine.bytes(1_500_000_000_000L));
    }

    @Test
    void durationsRoundUpAndUseTheLargestUnitsThatFit() {
        assertEquals("0s", ProgressLine.duration(0));
        assertEquals("1s", ProgressLine.duration(0.2));
        assertEquals("59s", ProgressLine.duration(59));
        assertEquals("1m00s", ProgressLine.duration(60));
        assertEquals("3m05s", ProgressLine.duration(185));
        assertEquals("1h00m", ProgressLine.duration(3600));
        assertEquals("2h04m", ProgressLine.duration(2 * 3600 + 4 * 60 + 59));
    }

    @Test
    void terminalLineReturnsToTheStartAndBlanksWhatALongerPreviousLineLeft() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalLine line = new TerminalLine(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        line.update("abcdef");
        line.update("xy");
        line.finish("done");
        line.update("next");
        assertEquals("\rabcdef" + "\rxy    " + "\rdone" + System.lineSeparator() + "\rnext",
                bytes.toString(StandardCharsets.UTF_8));
    }
}
