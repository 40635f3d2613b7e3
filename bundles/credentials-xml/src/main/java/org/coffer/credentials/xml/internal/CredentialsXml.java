package org.coffer.credentials.xml.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.coffer.CofferException;
import org.coffer.ConfigFormatException;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads and writes the XML of {@code credentials.xml} with the JDK's parser hardened:
 * no DTD, so no external entities and no entity expansion, and at most
 * {@value #MAX_DEPTH} levels of elements. The whole document is kept, so that what
 * Coffer does not model survives a rewrite.
 */
final class CredentialsXml {

    static final String NAMESPACE = "http://pineapple.dev.java.net/ns/environment_1_0";
    static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
    /** Pineapple's schema needs 6 levels; a deeper file is damaged, and DOM code recurses by level. */
    static final int MAX_DEPTH = 64;

    private CredentialsXml() {
    }

    /** A parsed document with the line of each element, in document order. */
    static final class Parsed {
        final Document document;
        private final int[] lines;

        Parsed(Document document, int[] lines) {
            this.document = document;
            this.lines = lines;
        }

        /** @return the line of an element of this document, or 0 when unknown */
        int lineOf(Node element) {
            int index = 0;
            for (Node node = document.getDocumentElement(); node != null; node = next(node)) {
                if (node.getNodeType() == Node.ELEMENT_NODE) {
                    if (node == element) {
                        return lines != null && index < lines.length ? lines[index] : 0;
                    }
                    index++;
                }
            }
            return 0;
        }

        /** The node after this one in document order, without recursion. */
        private static Node next(Node node) {
            if (node.getFirstChild() != null) {
                return node.getFirstChild();
            }
            Node at = node;
            while (at != null && at.getNextSibling() == null) {
                at = at.getParentNode();
            }
            return at == null ? null : at.getNextSibling();
        }
    }

    static Parsed parse(Path file, byte[] content) {
        int[] lines;
        try {
            lines = scan(file, content);
        } catch (XMLStreamException e) {
            // the DOM parser words most faults better; it stops where the scan stopped
            dom(file, content);
            Location at = e.getLocation();
            throw new ConfigFormatException(file, at == null ? 0 : at.getLineNumber(),
                    at == null ? 0 : at.getColumnNumber(), "well-formed XML: " + reason(e));
        }
        return new Parsed(dom(file, content), lines);
    }

    /**
     * A streaming pass before the DOM is built: the line of every start tag, and the
     * refusals that must come before any DOM code runs (a DOCTYPE, too deep a nesting).
     */
    private static int[] scan(Path file, byte[] content) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(content));
        try {
            int[] lines = new int[256];
            int count = 0;
            int depth = 0;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamReader.START_ELEMENT) {
                    Location at = reader.getLocation();
                    if (++depth > MAX_DEPTH) {
                        throw new ConfigFormatException(file, at.getLineNumber(), at.getColumnNumber(), "at most "
                                + MAX_DEPTH + " levels of nested elements, but <" + reader.getLocalName() + "> is at level "
                                + depth + "; credentials.xml needs 6, so this file is damaged or not a credentials.xml");
                    }
                    if (count == lines.length) {
                        lines = Arrays.copyOf(lines, count * 2);
                    }
                    lines[count++] = at.getLineNumber();
                } else if (event == XMLStreamReader.END_ELEMENT) {
                    depth--;
                } else if (event == XMLStreamReader.DTD) {
                    throw doctype(file, reader);
                }
            }
            return Arrays.copyOf(lines, count);
        } finally {
            reader.close();
        }
    }

    /** The DOCTYPE is refused at its first line (the reader is at its end). */
    private static ConfigFormatException doctype(Path file, XMLStreamReader reader) {
        String text = reader.getText();
        long newlines = text == null ? 0 : text.chars().filter(c -> c == '\n').count();
        return new ConfigFormatException(file, Math.max(1, reader.getLocation().getLineNumber() - (int) newlines), 0,
                "no DOCTYPE: Coffer does not read DTDs or entities in credentials.xml (they are how XXE and"
                        + " entity-expansion attacks work); remove the DOCTYPE");
    }

    /** The message of a streaming parser's fault, without the location it prefixes. */
    private static String reason(XMLStreamException e) {
        String message = String.valueOf(e.getMessage());
        int start = message.indexOf("Message: ");
        return start >= 0 ? message.substring(start + "Message: ".length()) : message;
    }

    private static Document dom(Path file, byte[] content) {
        try {
            return builder().parse(new ByteArrayInputStream(content), file.toUri().toString());
        } catch (SAXParseException e) {
            throw new ConfigFormatException(file, e.getLineNumber(), e.getColumnNumber(), expected(e.getMessage()));
        } catch (SAXException | IOException e) {
            throw new ConfigFormatException(file, 0, 0, "well-formed XML: " + e.getMessage());
        }
    }

    private static String expected(String message) {
        if (message != null && message.contains("DOCTYPE")) {
            return "no DOCTYPE: Coffer does not read DTDs or entities in credentials.xml (they are how XXE and"
                    + " entity-expansion attacks work); remove the DOCTYPE";
        }
        return "well-formed XML: " + message;
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            // every node is read at once by the model: building them as they are parsed is cheaper than on demand
            factory.setFeature("http://apache.org/xml/features/dom/defer-node-expansion", false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                    // nothing to report
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not read");
            });
            return builder;
        } catch (ParserConfigurationException e) {
            throw new CofferException("This Java runtime's XML parser cannot be hardened: " + e.getMessage(), e);
        }
    }

    static Document empty() {
        Document document = builder().newDocument();
        document.setXmlStandalone(true);
        document.appendChild(document.createElementNS(NAMESPACE, "configuration"))
                .appendChild(document.createElementNS(NAMESPACE, "environments"));
        return document;
    }

    static byte[] write(Document document) {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(DECLARATION.getBytes(StandardCharsets.UTF_8));
            transformer.transform(new DOMSource(document), new StreamResult(out));
            out.write('\n');
            return out.toByteArray();
        } catch (TransformerException | IOException e) {
            throw new CofferException("Could not write credentials.xml: " + e.getMessage(), e);
        }
    }
}
