package org.coffer.backend.secretservice.internal;

import org.coffer.backend.secretservice.protocol.TransportCipher;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Settings of the Secret Service keyring backend (PID {@code org.coffer.backend.secretservice}). */
@ObjectClassDefinition(name = "Coffer Secret Service keyring",
        description = "The freedesktop Secret Service (gnome-keyring) on the D-Bus session bus, shared with"
                + " Python's keyring and secret-tool.")
@interface SecretServiceConfig {

    @AttributeDefinition(name = "Ranking", description = "Higher ranked backends are asked first and receive writes")
    int service_ranking() default SecretServiceBackend.DEFAULT_RANKING;

    @AttributeDefinition(name = "Bus address", description = "The D-Bus session bus; empty for $DBUS_SESSION_BUS_ADDRESS")
    String bus_address() default "";

    @AttributeDefinition(name = "Transport", description = "How secrets cross the bus: encrypted"
            + " (dh-ietf1024-sha256-aes128-cbc-pkcs7) or, for a service without it, plain",
            options = {@Option(label = "encrypted", value = TransportCipher.DH_AES),
                @Option(label = "plain", value = TransportCipher.PLAIN)})
    String transport() default TransportCipher.DH_AES;

    @AttributeDefinition(name = "Application", description = "The 'application' attribute of items Coffer writes;"
            + " Python's keyring writes 'Python keyring library', and writing the same lets each replace the other's"
            + " items. Look-ups use service and username only.")
    String application() default SecretServiceBackend.PYTHON_APPLICATION;

    @AttributeDefinition(name = "Collection alias", description = "The collection, by alias, as Python's keyring uses")
    String collection_alias() default "default";

    @AttributeDefinition(name = "Password variable", description = "The environment variable that may hold the"
            + " Secret Service keyring's password, to unlock (or create) its collection without a prompt. It is this"
            + " backend's own: the file keyrings read COFFER_KEYRING_PASSWORD, and no password goes to another backend")
    String password_variable() default "COFFER_SECRETSERVICE_PASSWORD";

    @AttributeDefinition(name = "Allowed executables", description = "The programs trusted to own"
            + " org.freedesktop.secrets, by file name (or by full path); Coffer sends nothing, neither a secret nor"
            + " a password, to an owner that runs anything else")
    String[] allowed_executables() default {"gnome-keyring-daemon", "keepassxc", "kwalletd5", "kwalletd6", "ksecretd"};

    @AttributeDefinition(name = "Allow an unidentified owner", description = "Trust an owner of"
            + " org.freedesktop.secrets whose program Coffer cannot tell (the bus gives no process id, or /proc"
            + " cannot be read); off, Coffer sends it nothing")
    boolean allow_unidentified_owner() default false;

    @AttributeDefinition(name = "Prompt timeout", description = "Seconds to wait for a person to answer an unlock"
            + " prompt on the desktop")
    int prompt_timeout() default 60;

    @AttributeDefinition(name = "Name", description = "The name keyring:backends and keyring:use know it by")
    String name() default SecretServiceBackend.NAME;
}
