package org.nowag.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nowag.job.api.CompressOptions;
import org.nowag.job.api.CompressionMethod;
import org.nowag.job.api.CompressionReport;
import org.nowag.job.api.Compressor;
import org.nowag.job.api.TensorReport;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** report.html of a real run on MiniLM: written next to report.json, self-contained, one plot per layer kind. */
class HtmlReportOnMiniLmTest {
    static final String SVG = "http://www.w3.org/2000/svg";
    static final String XHTML = "http://www.w3.org/1999/xhtml";

    @TempDir Path tmp;

    static List<Element> elements(NodeList nodes) {
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) out.add((Element) nodes.item(i));
        return out;
    }

    @Test
    void reportHtmlHasOneProxyLossPlotPerLayerKindWithABarPerLayerAndSparsityAndTimePlots() throws Exception {
        Path out = tmp.resolve("minilm-mag50");
        CompressionReport report = new Compressor(Fixtures.spark(), null).run(new CompressOptions()
                .model(Fixtures.miniLm().toString()).out(out.toString()).method(CompressionMethod.MAGNITUDE));
        Path html = out.resolve("report.html");
        assertTrue(Files.isRegularFile(html) && Files.isRegularFile(out.resolve("_SUCCESS")));
        String text = Files.readString(html);

        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document d = f.newDocumentBuilder().parse(html.toFile());
        assertEquals("html", d.getDocumentElement().getLocalName());

        // Self-contained: no script, no stylesheet or image links, no URL but the XML namespaces.
        for (String tag : List.of("script", "link", "img", "iframe", "object")) {
            assertEquals(0, d.getElementsByTagNameNS(XHTML, tag).getLength(), tag);
        }
        assertFalse(text.replace("http://www.w3.org/1999/xhtml", "").replace("http://www.w3.org/2000/svg", "")
                .matches("(?s).*(https?:|src=|href=).*"), "no external references");

        List<Element> plots = elements(d.getElementsByTagNameNS(SVG, "svg"));
        Set<String> kinds = new LinkedHashSet<>();
        for (TensorReport t : report.tensors) kinds.add(t.name.replaceFirst("^encoder\\.layer\\.\\d+\\.", ""));
        assertEquals(6, kinds.size(), kinds.toString());  // query, key, value, attention out, intermediate, output

        List<Element> loss = plots.stream().filter(p -> p.getAttribute("class").equals("plot proxy-loss")).toList();
        assertEquals(new ArrayList<>(kinds), loss.stream().map(p -> p.getAttribute("data-kind")).toList());
        for (Element plot : loss) {
            List<String> labels = elements(plot.getElementsByTagNameNS(SVG, "rect")).stream()
                    .map(r -> r.getTextContent().split(":")[0]).toList();
            assertEquals(List.of("0", "1", "2", "3", "4", "5"), labels, plot.getAttribute("data-kind"));
        }
        List<Element> sparsity = plots.stream().filter(p -> p.getAttribute("class").equals("plot sparsity")).toList();
        assertEquals(1, sparsity.size());
        for (Element bar : elements(sparsity.get(0).getElementsByTagNameNS(SVG, "rect"))) {
            assertTrue(bar.getTextContent().endsWith(": 0.5000"), "magnitude 50% per matrix: " + bar.getTextContent());
        }
        List<Element> time = plots.stream().filter(p -> p.getAttribute("class").equals("plot time")).toList();
        assertEquals(1, time.size());
        assertEquals(36, time.get(0).getElementsByTagNameNS(SVG, "rect").getLength(), "one bar per matrix");
        assertEquals(1 + 36, elements(d.getElementsByTagNameNS(XHTML, "table")).stream()
                .filter(t -> t.getAttribute("class").equals("tensors")).findFirst().orElseThrow()
                .getElementsByTagNameNS(XHTML, "tr").getLength());
    }
}
