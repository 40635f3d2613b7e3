package org.coffer.backend.etcd.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/** The etcd backend's configuration, checked before the backend is registered. */
class EtcdProbeTest {

    private static String whyNot(Map<String, Object> values) {
        Map<String, Object> all = new HashMap<>(Map.of("endpoints", "http://127.0.0.1:2379", "kek.file", "/k"));
        all.putAll(values);
        return EtcdProbe.whyNot(Converters.standardConverter().convert(all).to(EtcdConfig.class));
    }

    @Test
    void aWorkableConfigurationHasNoReason() {
        assertThat(whyNot(Map.of())).isNull();
        assertThat(whyNot(Map.of("kek.file", "", "kek.service", "coffer etcd kek", "kek.username", "fleet"))).isNull();
    }

    @Test
    void eachConfigurationErrorIsTheReasonNamingThePid() {
        assertThat(whyNot(Map.of("endpoints", " , "))).contains("org.coffer.backend.etcd", "needs endpoints");
        assertThat(whyNot(Map.of("kek.service", "svc", "kek.username", "u"))).contains("exactly one place");
        assertThat(whyNot(Map.of("tls.cert", "/c.pem"))).contains("tls.cert and tls.key go together");
        assertThat(whyNot(Map.of("tls.ca", "/nowhere/ca.pem"))).contains("org.coffer.backend.etcd", "/nowhere/ca.pem");
    }
}
