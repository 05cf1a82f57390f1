package org.nowag.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.TensorReport;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {
    static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    static TensorReport tensor(String name, double relative, long kept, long numel) {
        TensorReport t = new TensorReport();
        t.name = name;
        t.proxyLossRelative = relative;
        t.kept = kept;
        t.numel = numel;
        t.shape = new long[]{numel / 4, 4};
        return t;
    }

    @Test
    void layerKindIsWhatFollowsTheBlockIndexForLlamaAndBertNames() {
        assertEquals("mlp.down_proj.weight", HtmlReport.kind("model.layers.12.mlp.down_proj.weight"));
        assertEquals(12, HtmlReport.layer("model.layers.12.mlp.down_proj.weight"));
        assertEquals("attention.self.query.weight", HtmlReport.kind("encoder.layer.3.attention.self.query.weight"));
        assertEquals(3, HtmlReport.layer("encoder.layer.3.attention.self.query.weight"));
        assertEquals("lm_head.weight", HtmlReport.kind("lm_head.weight"));
        assertEquals(-1, HtmlReport.layer("lm_head.weight"));
    }

    @Test
    void namesWithMarkupCharactersAreEscapedAndThePageStaysWellFormed() throws Exception {
        CompressionReport r = new CompressionReport();
        r.output = "/out/<m&m>\"";
        r.tensors.add(tensor("model.layers.0.a<&>\".weight", 0.1, 2, 4));
        Document d = parse(HtmlReport.render(r));
        Element svg = (Element) d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg").item(0);
        assertEquals("a<&>\".weight", svg.getAttribute("data-kind"));
    }

    @Test
    void barHeightsAreProportionalToTheValuesWithTheLargestFillingThePlot() throws Exception {
        CompressionReport r = new CompressionReport();
        r.tensors.add(tensor("model.layers.0.q.weight", 0.2, 2, 4));
        r.tensors.add(tensor("model.layers.1.q.weight", 0.4, 1, 4));
        r.tensors.add(tensor("model.layers.2.q.weight", 0.1, 4, 4));
        Document d = parse(HtmlReport.render(r));
        NodeList svgs = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg");
        Element loss = (Element) svgs.item(0);
        assertEquals("plot proxy-loss", loss.getAttribute("class"));
        NodeList bars = loss.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
        assertEquals(3, bars.getLength());
        double h0 = Double.parseDouble(((Element) bars.item(0)).getAttribute("height"));
        double h1 = Double.parseDouble(((Element) bars.item(1)).getAttribute("height"));
        double h2 = Double.parseDouble(((Element) bars.item(2)).getAttribute("height"));
        assertEquals(160.0, h1, 1e-9);
        assertEquals(80.0, h0, 0.05);
        assertEquals(40.0, h2, 0.05);
        assertEquals("1: 0.4000", bars.item(1).getTextContent());
        // Sparsity per layer: 1 - kept/numel = 0.5, 0.75, 0.
        Element sparsity = (Element) svgs.item(1);
        assertEquals("plot sparsity", sparsity.getAttribute("class"));
        NodeList sb = sparsity.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
        assertEquals("0: 0.5000", sb.item(0).getTextContent());
        assertEquals("1: 0.7500", sb.item(1).getTextContent());
        assertEquals("0.0", ((Element) sb.item(2)).getAttribute("height"));
        assertTrue(((Element) svgs.item(2)).getAttribute("class").equals("plot time"));
    }
}
