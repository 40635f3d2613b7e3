package org.coffer.credentials.xml.internal;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.coffer.ConfigFormatException;

/**
 * One streaming pass over credentials.xml, with no DOM: the refusals that must come before
 * any DOM code runs (a DOCTYPE, too deep a nesting), and the environments and credentials with the checks {@link CredentialsModel} makes of a DOM
 * (root element, required attributes, unique ids), so that a read needs no DOM at all.
 */
final class CredentialsScan {

    /** The elements of Pineapple's schema that Coffer models, by level: configuration is level 1. */
    private static final String[] MODELLED = {null, "configuration", "environments", "environment", "credentials",
        "credential"};

    /** A credential as the file stores it; its password is never decrypted here. */
    static final class Credential {
        final String id;
        final String user;
        final String password;
        final int line;

        Credential(String id, String user, String password, int line) {
            this.id = id;
            this.user = user;
            this.password = password;
            this.line = line;
        }
    }

    /** An environment with its credentials in file order. */
    static final class Environment {
        final String id;
        final String description;
        final Map<String, Credential> credentials = new LinkedHashMap<>();

        Environment(String id, String description) {
            this.id = id;
            this.description = description;
        }
    }

    private final Path file;
    /** In file order. */
    final Map<String, Environment> environments = new LinkedHashMap<>();
    /** The first fault of the model in document order, thrown once the whole file is known to be well-formed. */
    private ConfigFormatException fault;
    private Environment environment;
    private final Consumer<Credential> found;

    private CredentialsScan(Path file, XMLStreamReader reader, Consumer<Credential> found) throws XMLStreamException {
        this.file = file;
        this.found = found;
        int depth = 0;
        // whether the element open at each level is one Coffer models
        boolean[] modelled = new boolean[CredentialsXml.MAX_DEPTH + 2];
        modelled[0] = true;
        while (reader.hasNext()) {
            int event = reader.next();
            if (event == XMLStreamReader.START_ELEMENT) {
                Location at = reader.getLocation();
                if (++depth > CredentialsXml.MAX_DEPTH) {
                    throw new ConfigFormatException(file, at.getLineNumber(), at.getColumnNumber(), "at most "
                            + CredentialsXml.MAX_DEPTH + " levels of nested elements, but <" + reader.getLocalName()
                            + "> is at level " + depth + "; credentials.xml needs 6, so this file is damaged or not a"
                            + " credentials.xml");
                }
                modelled[depth] = modelled[depth - 1] && depth < MODELLED.length
                        && MODELLED[depth].equals(reader.getLocalName());
                if (depth == 1 && !modelled[1]) {
                    fault(at.getLineNumber(), "the root element <configuration xmlns=\"" + CredentialsXml.NAMESPACE
                            + "\">, not <" + qualified(reader) + ">");
                } else if (modelled[depth] && fault == null) {
                    element(reader, depth, at.getLineNumber());
                }
            } else if (event == XMLStreamReader.END_ELEMENT) {
                depth--;
            } else if (event == XMLStreamReader.DTD) {
                throw CredentialsXml.doctype(file, reader);
            }
        }
    }

    /**
     * @throws ConfigFormatException if the file is not well-formed XML, has a DOCTYPE or
     *     nests too deep; the model's faults are for {@link #requireModel()}
     */
    static CredentialsScan of(Path file, byte[] content) {
        return of(file, content, credential -> { });
    }

    /**
     * @param found hears each credential as the scan finds it, before the file is known to be
     *     well-formed, for work that may start early and be discarded
     */
    static CredentialsScan of(Path file, byte[] content, Consumer<Credential> found) {
        try {
            XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(content));
            try {
                return new CredentialsScan(file, reader, found);
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw CredentialsXml.notWellFormed(file, content, e);
        }
    }

    /**
     * @return this scan
     * @throws ConfigFormatException at the first element, in document order, that the
     *     model refuses: not Pineapple's root, an attribute missing, an id used twice
     */
    CredentialsScan requireModel() {
        if (fault != null) {
            throw fault;
        }
        return this;
    }

    private void element(XMLStreamReader reader, int depth, int line) {
        if (depth == 3) {
            String id = required(reader, "id", line);
            if (id == null) {
                return;
            }
            String description = attribute(reader, "description");
            environment = new Environment(id, description == null ? "" : description);
            if (environments.putIfAbsent(id, environment) != null) {
                fault(line, "a unique environment id; '" + id + "' is used twice");
            }
        } else if (depth == 5) {
            String id = required(reader, "id", line);
            String user = id == null ? null : required(reader, "user", line);
            String password = user == null ? null : required(reader, "password", line);
            if (password == null) {
                return;
            }
            Credential credential = new Credential(id, user, password, line);
            if (environment.credentials.putIfAbsent(id, credential) != null) {
                fault(line, "a unique credential id in environment '" + environment.id + "'; '" + id
                        + "' is used twice");
            }
            found.accept(credential);
        }
    }

    /** @return the attribute, or {@code null} after recording that it is missing */
    private String required(XMLStreamReader reader, String name, int line) {
        String value = attribute(reader, name);
        if (value == null) {
            fault(line, "the attribute " + name + " on <" + reader.getLocalName() + ">");
        }
        return value;
    }

    /** The attribute of that qualified name, as the DOM's {@code getAttribute} finds it, or {@code null}. */
    private static String attribute(XMLStreamReader reader, String name) {
        for (int i = 0, count = reader.getAttributeCount(); i < count; i++) {
            String prefix = reader.getAttributePrefix(i);
            if ((prefix == null || prefix.isEmpty()) && name.equals(reader.getAttributeLocalName(i))) {
                return reader.getAttributeValue(i);
            }
        }
        return null;
    }

    private static String qualified(XMLStreamReader reader) {
        String prefix = reader.getPrefix();
        return prefix == null || prefix.isEmpty() ? reader.getLocalName() : prefix + ":" + reader.getLocalName();
    }

    private void fault(int line, String expected) {
        if (fault == null) {
            fault = new ConfigFormatException(file, line, 0, expected);
        }
    }
}
