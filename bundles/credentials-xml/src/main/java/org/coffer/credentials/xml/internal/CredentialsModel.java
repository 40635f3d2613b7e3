package org.coffer.credentials.xml.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The environments and credentials of a {@code credentials.xml} document, as elements
 * of its DOM: {@code configuration > environments > environment > credentials > credential}.
 * {@link CredentialsScan} has checked what Pineapple's schema requires and that ids are
 * unique; the changes check their own ids and keep the index in step with the document.
 */
final class CredentialsModel {

    static final String ENCRYPTED = "encrypted:";

    final Document document;
    final Map<String, Element> environments = new LinkedHashMap<>();
    final Map<String, Map<String, Element>> credentials = new LinkedHashMap<>();

    private CredentialsModel(Document document) {
        this.document = document;
    }

    /** Indexes a document that {@link CredentialsXml#parse} has checked, with {@link CredentialsScan}'s rules. */
    static CredentialsModel of(Document document) {
        CredentialsModel model = new CredentialsModel(document);
        for (Element environments : children(document.getDocumentElement(), "environments")) {
            for (Element environment : children(environments, "environment")) {
                String id = environment.getAttribute("id");
                model.environments.put(id, environment);
                Map<String, Element> byId = new LinkedHashMap<>();
                for (Element credentials : children(environment, "credentials")) {
                    for (Element credential : children(credentials, "credential")) {
                        byId.put(credential.getAttribute("id"), credential);
                    }
                }
                model.credentials.put(id, byId);
            }
        }
        return model;
    }

    /** A deep copy to change, so that the document as saved stays as it is until the change is saved. */
    CredentialsModel copy() {
        return of((Document) document.cloneNode(true));
    }

    static CredentialsModel empty() {
        return new CredentialsModel(CredentialsXml.empty());
    }

    /**
     * Adds an environment with an empty credentials element.
     *
     * @throws IllegalArgumentException if the id is empty or used
     */
    void addEnvironment(String id, String description) {
        requireId(id, "environment");
        if (environments.containsKey(id)) {
            throw new IllegalArgumentException("The environment '" + id + "' exists already");
        }
        Element created = append(child(document.getDocumentElement(), "environments"), "environment");
        created.setAttribute("id", id);
        if (description != null && !description.isEmpty()) {
            created.setAttribute("description", description);
        }
        append(created, "credentials");
        environments.put(id, created);
        credentials.put(id, new LinkedHashMap<>());
    }

    /** @return whether there was such an environment; it is removed with its credentials */
    boolean removeEnvironment(String id) {
        Element existing = environments.remove(id);
        if (existing == null) {
            return false;
        }
        credentials.remove(id);
        remove(existing);
        return true;
    }

    /** @throws IllegalArgumentException if there is no such environment */
    Element environment(String id) {
        Element element = environments.get(id);
        if (element == null) {
            throw new IllegalArgumentException("There is no environment '" + id + "'; create it with"
                    + " credentials:env-add");
        }
        return element;
    }

    /**
     * Adds a credential; the password is asked for once the rest is known to be right.
     *
     * @throws IllegalArgumentException if the id is empty or used, or the environment is missing
     */
    void addCredential(String environment, String id, String user, Supplier<String> storedPassword) {
        requireId(id, "credential");
        if (credential(environment, id) != null) {
            throw new IllegalArgumentException("The environment '" + environment + "' holds a credential '" + id
                    + "' already; use update");
        }
        Element credential = append(child(environment(environment), "credentials"), "credential");
        credential.setAttribute("id", id);
        credential.setAttribute("user", user);
        credential.setAttribute("password", storedPassword.get());
        credentials.get(environment).put(id, credential);
    }

    /** @return whether there was such a credential */
    boolean removeCredential(String environment, String id) {
        Element existing = credentials.getOrDefault(environment, new LinkedHashMap<>()).remove(id);
        if (existing == null) {
            return false;
        }
        remove(existing);
        return true;
    }

    /** @return the credential, or {@code null} */
    Element credential(String environment, String id) {
        return credentials.getOrDefault(environment, Map.of()).get(id);
    }

    private static void requireId(String id, String what) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("The " + what + " id must not be empty");
        }
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
    private static void remove(Element element) {
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
