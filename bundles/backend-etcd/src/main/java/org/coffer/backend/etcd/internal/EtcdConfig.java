package org.coffer.backend.etcd.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the etcd backend (PID {@code org.coffer.backend.etcd}); it is off until they name endpoints. */
@ObjectClassDefinition(name = "Coffer etcd keyring",
        description = "Secrets shared by a fleet in etcd v3, encrypted before they leave the machine")
@interface EtcdConfig {

    @AttributeDefinition(name = "Ranking", description = "Higher ranked backends are asked first and receive writes")
    int service_ranking() default EtcdBackend.DEFAULT_RANKING;

    @AttributeDefinition(name = "Endpoints", description = "Comma-separated URLs of the cluster's members,"
            + " for example http://10.0.0.1:2379,http://10.0.0.2:2379")
    String endpoints();

    @AttributeDefinition(name = "Prefix", description = "The keys Coffer owns in etcd start with this")
    String prefix() default "/coffer";

    @AttributeDefinition(name = "Key-encryption key file", description = "A file holding the base64 of a 256-bit"
            + " key, created random (0600) when missing; or name a local entry with kek.service and kek.username")
    String kek_file() default "";

    @AttributeDefinition(name = "Key-encryption key service", description = "The service of a local backend's"
            + " entry holding the base64 key-encryption key")
    String kek_service() default "";

    @AttributeDefinition(name = "Key-encryption key username", description = "Its username")
    String kek_username() default "";

    @AttributeDefinition(name = "etcd user", description = "etcd's own user, when its auth is enabled")
    String user() default "";

    @AttributeDefinition(name = "Password service", description = "The service of a local backend's entry"
            + " holding the etcd user's password")
    String password_service() default "";

    @AttributeDefinition(name = "Password username", description = "Its username")
    String password_username() default "";

    @AttributeDefinition(name = "CA certificate", description = "PEM file of the CA that signed the members'"
            + " certificates; empty for the JDK's trust store")
    String tls_ca() default "";

    @AttributeDefinition(name = "Client certificate", description = "PEM file of this machine's client certificate")
    String tls_cert() default "";

    @AttributeDefinition(name = "Client key", description = "PEM file (PKCS#8) of its private key")
    String tls_key() default "";

    @AttributeDefinition(name = "Timeout", description = "Seconds a call to etcd may take before it fails")
    int timeout() default 5;

    @AttributeDefinition(name = "Name", description = "The name keyring:backends and keyring:use know it by")
    String name() default EtcdBackend.NAME;
}
