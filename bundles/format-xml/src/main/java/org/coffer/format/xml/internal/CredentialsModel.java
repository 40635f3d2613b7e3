package org.coffer.format.xml.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.coffer.ConfigFormatException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The environments and credentials of a {@code credentials.xml} document, as elements
 * of its DOM: {@code configuration > environments > environment > credentials > credential}.
 * Checks what Pineapple's schema requires and that ids are unique.
 */
final class CredentialsModel {

    static final String ENCRYPTED = "encrypted:";

    final Document document;
    final Map<String, Element> environments = new LinkedHashMap<>();
    final Map<String, Map<String, Element>> credentials = new LinkedHashMap<>();

    private CredentialsModel(Document document) {
        this.document = document;
    }

    static CredentialsModel of(Path file, CredentialsXml.Parsed parsed) {
        Document document = parsed.document;
        Map<Node, Integer> lines = new IdentityHashMap<>();
        NodeList all = document.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength() && i < parsed.lines.size(); i++) {
            lines.put(all.item(i), parsed.lines.get(i));
        }
        CredentialsModel model = new CredentialsModel(document);
        Element root = document.getDocumentElement();
        if (!"configuration".equals(root.getLocalName())) {
            throw new ConfigFormatException(file, line(lines, root), 0, "the root element <configuration xmlns=\""
                    + CredentialsXml.NAMESPACE + "\">, not <" + root.getNodeName() + ">");
        }
        for (Element environments : children(root, "environments")) {
            for (Element environment : children(environments, "environment")) {
                String id = required(file, lines, environment, "id");
                if (model.environments.putIfAbsent(id, environment) != null) {
                    throw new ConfigFormatException(file, line(lines, environment), 0,
                            "a unique environment id; '" + id + "' is used twice");
                }
                Map<String, Element> byId = new LinkedHashMap<>();
                for (Element credentials : children(environment, "credentials")) {
                    for (Element credential : children(credentials, "credential")) {
                        String credentialId = required(file, lines, credential, "id");
                        required(file, lines, credential, "user");
                        required(file, lines, credential, "password");
                        if (byId.putIfAbsent(credentialId, credential) != null) {
                            throw new ConfigFormatException(file, line(lines, credential), 0, "a unique credential id in"
                                    + " environment '" + id + "'; '" + credentialId + "' is used twice");
                        }
                    }
                }
                model.credentials.put(id, byId);
            }
        }
        return model;
    }

    static CredentialsModel empty() {
        return new CredentialsModel(CredentialsXml.empty());
    }

    private static int line(Map<Node, Integer> lines, Node node) {
        return lines.getOrDefault(node, 0);
    }

    private static String required(Path file, Map<Node, Integer> lines, Element element, String attribute) {
        if (!element.hasAttribute(attribute)) {
            throw new ConfigFormatException(file, line(lines, element), 0, "the attribute " + attribute + " on <"
                    + element.getLocalName() + ">");
        }
        return element.getAttribute(attribute);
    }

    static List<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element && localName.equals(node.getLocalName())) {
                found.add((Element) node);
            }
        }
        return found;
    }

    /** Returns the first child of that name, creating it (indented like its parent) when missing. */
    static Element child(Element parent, String localName) {
        List<Element> existing = children(parent, localName);
        return existing.isEmpty() ? append(parent, localName) : existing.get(0);
    }

    /** Appends a new element in the parent's namespace, keeping the file's indentation. */
    static Element append(Element parent, String localName) {
        Document document = parent.getOwnerDocument();
        String indent = indentOf(parent);
        Element element = document.createElementNS(parent.getNamespaceURI(), qualified(parent, localName));
        Node last = parent.getLastChild();
        if (last != null && last.getNodeType() == Node.TEXT_NODE && last.getTextContent().isBlank()) {
            parent.insertBefore(document.createTextNode("\n" + indent + "  "), last);
            parent.insertBefore(element, last);
        } else {
            parent.appendChild(document.createTextNode("\n" + indent + "  "));
            parent.appendChild(element);
            parent.appendChild(document.createTextNode("\n" + indent));
        }
        return element;
    }

    /** Removes an element with the whitespace before it. */
    static void remove(Element element) {
        Node parent = element.getParentNode();
        Node before = element.getPreviousSibling();
        if (before != null && before.getNodeType() == Node.TEXT_NODE && before.getTextContent().isBlank()) {
            parent.removeChild(before);
        }
        parent.removeChild(element);
    }

    private static String qualified(Element parent, String localName) {
        return parent.getPrefix() == null ? localName : parent.getPrefix() + ":" + localName;
    }

    private static String indentOf(Element element) {
        Node before = element.getPreviousSibling();
        if (before != null && before.getNodeType() == Node.TEXT_NODE) {
            String text = before.getTextContent();
            int newline = text.lastIndexOf('\n');
            if (newline >= 0 && text.substring(newline + 1).isBlank()) {
                return text.substring(newline + 1);
            }
        }
        return "";
    }
}
