package org.nowag.kernels.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import org.junit.jupiter.api.Test;

/** The pattern's text form is stable and parses back; it serializes; each method has the reference's default group. */
class SparsityPatternTest {

    @Test
    void toStringIsStableText() {
        assertEquals("unstructured:0.5:matrix", SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX).toString());
        assertEquals("unstructured:0.5:row", SparsityPattern.unstructured(0.5, SparsityPattern.Group.ROW).toString());
        assertEquals("unstructured:0.7:row", SparsityPattern.unstructured(0.7, SparsityPattern.Group.ROW).toString());
        assertEquals("unstructured:0:matrix", SparsityPattern.unstructured(0.0, SparsityPattern.Group.MATRIX).toString());
        assertEquals("unstructured:0.0001:row", SparsityPattern.unstructured(1e-4, SparsityPattern.Group.ROW).toString());
        assertEquals("2:4", SparsityPattern.nOfM(2, 4).toString());
        assertEquals("4:8", SparsityPattern.nOfM(4, 8).toString());
    }

    @Test
    void parseInvertsToString() {
        SparsityPattern[] all = {
                SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX),
                SparsityPattern.unstructured(0.25, SparsityPattern.Group.ROW),
                SparsityPattern.unstructured(1e-4, SparsityPattern.Group.ROW),
                SparsityPattern.unstructured(1.0 / 3, SparsityPattern.Group.MATRIX),
                SparsityPattern.nOfM(2, 4),
                SparsityPattern.nOfM(4, 8)};
        for (SparsityPattern p : all) {
            assertEquals(p, SparsityPattern.parse(p.toString()));
        }
    }

    @Test
    void parseAcceptsCliForms() {
        assertEquals(SparsityPattern.nOfM(2, 4), SparsityPattern.parse(" 2:4 "));
        assertEquals(SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX), SparsityPattern.parse("unstructured-0.5-matrix"));
        assertEquals(SparsityPattern.unstructured(0.5, SparsityPattern.Group.ROW), SparsityPattern.parse("Unstructured:0.5:ROW"));
        assertEquals(SparsityPattern.unstructured(0.6, SparsityPattern.Group.ROW),
                SparsityPattern.parse("unstructured:0.6", PruneMethod.WANDA.defaultGroup()));
    }

    @Test
    void parseRejectsGarbageWithTheExpectedForms() {
        for (String bad : new String[] {"", "2", "2:4:8", "a:b", "unstructured", "unstructured:x:row", "unstructured:0.5:col"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparsityPattern.parse(bad));
            assertTrue(e.getMessage().contains("2:4"), e.getMessage());
        }
        IllegalArgumentException noGroup = assertThrows(IllegalArgumentException.class, () -> SparsityPattern.parse("unstructured:0.5"));
        assertTrue(noGroup.getMessage().contains("names no group"), noGroup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.parse("4:2"));
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.parse("unstructured:1.0:row"));
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.parse(null));
    }

    @Test
    void javaSerializationRoundTripsAndFieldsArePlain() throws Exception {
        for (SparsityPattern p : new SparsityPattern[] {
                SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX), SparsityPattern.nOfM(2, 4)}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(p);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                Object back = in.readObject();
                assertEquals(p, back);
                assertEquals(p.toString(), back.toString());
            }
        }
        for (Field f : SparsityPattern.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                assertFalse(Modifier.isFinal(f.getModifiers()), f.getName() + " should be a plain field for Kryo");
            }
        }
    }

    @Test
    void accessorsDescribeThePattern() {
        SparsityPattern twoFour = SparsityPattern.nOfM(2, 4);
        assertTrue(twoFour.isNOfM());
        assertEquals(2, twoFour.n());
        assertEquals(4, twoFour.m());
        assertEquals(0.5, twoFour.sparsity());
        assertEquals(SparsityPattern.Group.ROW, twoFour.group());
        SparsityPattern u = SparsityPattern.unstructured(0.7, SparsityPattern.Group.MATRIX);
        assertFalse(u.isNOfM());
        assertEquals(0.7, u.sparsity());
        assertEquals(SparsityPattern.Group.MATRIX, u.group());
        assertEquals(0, u.n());
        assertEquals(0, u.m());
    }

    @Test
    void defaultGroupsFollowTheReference() {
        assertEquals(SparsityPattern.Group.MATRIX, PruneMethod.NOWAG_P.defaultGroup());
        assertEquals(SparsityPattern.Group.MATRIX, PruneMethod.MAGNITUDE.defaultGroup());
        assertEquals(SparsityPattern.Group.ROW, PruneMethod.WANDA.defaultGroup());
    }

    @Test
    void checkShapeRejectsTooManyElementsForOneMatrixGroup() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX).checkShape(65536, 65536));
        assertTrue(e.getMessage().contains("row blocks"), e.getMessage());
        SparsityPattern.unstructured(0.5, SparsityPattern.Group.MATRIX).checkShape(28672, 8192);
        assertThrows(IllegalArgumentException.class, () -> SparsityPattern.nOfM(2, 4).checkShape(0, 8));
    }
}
