package org.nowag.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransposeTest {

    private static byte[] transpose(byte[] array, int offset, int rows, int cols, int elementBytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Transpose.write(new ByteSlice(array, offset, rows * cols * elementBytes), rows, cols, elementBytes, out);
        return out.toByteArray();
    }

    @Test
    void outputElementJIEqualsInputElementIJ() throws Exception {
        int rows = 3, cols = 5;
        ByteBuffer in = ByteBuffer.allocate(rows * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) in.putFloat(10 * i + j + 0.5f);
        }
        ByteBuffer out = ByteBuffer.wrap(transpose(in.array(), 0, rows, cols, 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                // Output is [cols, rows]: element (j, i) at j * rows + i.
                assertEquals(10 * i + j + 0.5f, out.getFloat((j * rows + i) * 4));
            }
        }
    }

    @Test
    void worksOnASliceInsideALargerArrayAndForOtherElementSizes() throws Exception {
        // [2, 3] of 2-byte elements starting at offset 3; bytes named by (row, col, byte).
        byte[] array = {99, 99, 99, 0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 99};
        byte[] expected = {0, 1, 10, 11, 2, 3, 12, 13, 4, 5, 14, 15};
        assertArrayEquals(expected, transpose(array, 3, 2, 3, 2));
    }

    @Test
    void transposingTwiceGivesTheOriginal() throws Exception {
        byte[] m = new byte[7 * 4 * 8];
        new Random(1).nextBytes(m);
        assertArrayEquals(m, transpose(transpose(m, 0, 7, 4, 8), 0, 4, 7, 8));
    }

    @Test
    void sliceOfTheWrongSizeIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Transpose.write(new ByteSlice(new byte[20], 0, 20), 2, 3, 4, new ByteArrayOutputStream()));
    }
}
