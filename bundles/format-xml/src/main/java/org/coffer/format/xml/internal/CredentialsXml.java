package org.coffer.format.xml.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
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
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads and writes the XML of {@code credentials.xml} with the JDK's parser hardened:
 * no DTD, so no external entities and no entity expansion. The whole document is kept,
 * so that what Coffer does not model survives a rewrite.
 */
final class CredentialsXml {

    static final String NAMESPACE = "http://pineapple.dev.java.net/ns/environment_1_0";
    static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

    private CredentialsXml() {
    }

    /** A parsed document with the line of each element, in document order. */
    static final class Parsed {
        final Document document;
        final List<Integer> lines;

        Parsed(Document document, List<Integer> lines) {
            this.document = document;
            this.lines = lines;
        }
    }

    static Parsed parse(Path file, byte[] content) {
        Document document;
        try {
            document = builder().parse(new ByteArrayInputStream(content), file.toUri().toString());
        } catch (SAXParseException e) {
            throw new ConfigFormatException(file, e.getLineNumber(), e.getColumnNumber(), expected(e.getMessage()));
        } catch (SAXException | IOException e) {
            throw new ConfigFormatException(file, 0, 0, "well-formed XML: " + e.getMessage());
        }
        return new Parsed(document, lines(file, content));
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

    /** The line of every element in document order, from a second pass (the DOM has none). */
    private static List<Integer> lines(Path file, byte[] content) {
        List<Integer> lines = new ArrayList<>();
        try {
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(content));
            while (reader.hasNext()) {
                if (reader.next() == XMLStreamReader.START_ELEMENT) {
                    lines.add(reader.getLocation().getLineNumber());
                }
            }
            reader.close();
        } catch (XMLStreamException e) {
            throw new ConfigFormatException(file, 0, 0, "well-formed XML: " + e.getMessage());
        }
        return lines;
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
