package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.spark.KryoClasses;
import org.nowag.kernels.prune.SparsityPattern;
import scala.reflect.ClassTag$;

/**
 * The whole suite runs with {@code spark.kryo.registrationRequired=true} (the pom's test argLine), so every class a
 * test sends between driver and executors must be in {@link KryoClasses}: an unregistered one fails the test that
 * sends it. This checks that the setting is really on, and that it bites.
 */
class KryoRegistrationTest {

    @Test
    void theSuitesSparkRequiresRegistrationAndUsesTheOneList() {
        var conf = Fixtures.spark().getConf();
        assertEquals("true", conf.get("spark.kryo.registrationRequired"));
        assertEquals("org.apache.spark.serializer.KryoSerializer", conf.get("spark.serializer"));
        assertEquals(KryoClasses.class.getName(), conf.get("spark.kryo.registrator"));
    }

    @Test
    void registeredClassesRoundTripAndAnUnregisteredOneIsRefused() {
        Fixtures.spark();
        SerializerInstance kryo = SparkEnv.get().serializer().newInstance();
        // The class the trial failed on, inside a mutable list as task fields hold it.
        java.util.ArrayList<Object> fields = new java.util.ArrayList<>(List.of(CompressionMethod.WANDA, SparsityPattern.nOfM(2, 4)));
        Object back = kryo.deserialize(kryo.serialize(fields, ClassTag$.MODULE$.apply(Object.class)),
                ClassTag$.MODULE$.apply(Object.class));
        assertEquals(fields.get(0), ((java.util.List<?>) back).get(0));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> kryo.serialize(new java.util.TreeSet<>(List.of("x")), ClassTag$.MODULE$.apply(Object.class)));
        assertTrue(refused.getMessage().contains("Class is not registered"), refused.getMessage());
    }
}
