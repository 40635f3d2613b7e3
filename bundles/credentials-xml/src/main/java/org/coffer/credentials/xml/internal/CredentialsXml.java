package org.coffer.credentials.xml.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.Location;
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

    /**
     * A DOM of the file, checked first by {@link CredentialsScan}: its refusals come before any DOM code runs.
     *
     * @throws ConfigFormatException as the scan does
     */
    static Document parse(Path file, byte[] content) {
        CredentialsScan.of(file, content).requireModel();
        return dom(file, content);
    }

    /** The fault of a file the streaming parser refused, worded by the DOM parser where it words it better. */
    static ConfigFormatException notWellFormed(Path file, byte[] content, XMLStreamException e) {
        // the DOM parser words most faults better; it stops where the scan stopped
        dom(file, content);
        Location at = e.getLocation();
        return new ConfigFormatException(file, at == null ? 0 : at.getLineNumber(),
                at == null ? 0 : at.getColumnNumber(), "well-formed XML: " + reason(e));
    }

    /** The DOCTYPE is refused at its first line (the reader is at its end). */
    static ConfigFormatException doctype(Path file, XMLStreamReader reader) {
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
