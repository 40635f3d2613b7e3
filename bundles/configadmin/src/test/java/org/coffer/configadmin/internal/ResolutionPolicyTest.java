package org.coffer.configadmin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResolutionPolicyTest {

    private final PublishedRecord record = new PublishedRecord();
    private final ResolutionPolicy policy = new ResolutionPolicy(new String[] {"com.example.app", "com.example.pool*", " "},
            Set.of("MY_PASSWORD"), record::wrote);

    private static Dictionary<String, Object> properties(String... pairs) {
        Dictionary<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.put(pairs[i], pairs[i + 1]);
        }
        return properties;
    }

    @Test
    void resolvesTheListedPidsAndPrefixesOnly() {
        assertThat(policy.mayResolve("com.example.app", null, properties())).isTrue();
        assertThat(policy.mayResolve("com.example.application", null, properties())).isFalse();
        assertThat(policy.mayResolve("com.example.pool.db", null, properties())).isTrue();
        assertThat(policy.mayResolve("com.example.pool~a", "com.example.pool", properties())).isTrue();
        assertThat(policy.mayResolve("com.other", null, properties())).isFalse();
        assertThat(policy.mayResolve(null, null, properties())).isFalse();
    }

    @Test
    void resolvesWhatThePublisherWroteButNeverCoffersOwnPids() {
        record.record("resilient", properties(SectionPublisher.SOURCE, "/x/app.config", "password", "$[keyring:_/db]"));
        record.record("org.coffer.backend.plaintext", properties(SectionPublisher.SOURCE, "/x/app.config"));
        Dictionary<String, Object> delivered = properties(SectionPublisher.SOURCE, "/x/app.config",
                "password", "$[keyring:_/db]", "service.pid", "resilient");
        assertThat(policy.mayResolve("resilient", null, delivered)).isTrue();
        assertThat(policy.mayResolve("org.coffer.backend.plaintext", null,
                properties(SectionPublisher.SOURCE, "/x/app.config"))).isFalse();
        ResolutionPolicy everything = new ResolutionPolicy(new String[] {"*"}, Set.of(), (pid, p) -> false);
        assertThat(everything.mayResolve("org.coffer.provider", null, properties())).isFalse();
        assertThat(everything.mayResolve("x~1", "org.coffer.backend.etcd", properties())).isFalse();
        assertThat(everything.mayResolve("anything", null, properties())).isTrue();
    }

    @Test
    void theMarkerPropertyDecidesNothing() {
        // any bundle can write the publisher's marker into a configuration of its own
        assertThat(policy.mayResolve("org.apache.felix.webconsole.internal.servlet.OsgiManager", null,
                properties(SectionPublisher.SOURCE, "/x/app.config", "realm", "$[keyring:canary/user]"))).isFalse();
        assertThat(policy.mayResolve("attacker", null, properties(SectionPublisher.SOURCE, "/x/app.config"))).isFalse();
        // a published PID changed by another writer is no longer the publisher's
        record.record("resilient", properties(SectionPublisher.SOURCE, "/x/app.config", "host", "db"));
        assertThat(policy.mayResolve("resilient", null, properties(SectionPublisher.SOURCE, "/x/app.config",
                "host", "db", "stolen", "$[keyring:canary/user]"))).isFalse();
    }

    @Test
    void aKeyringPasswordIsNeverAReference() {
        assertThat(policy.isPasswordSource("env:KEYRING_CRYPTFILE_PASSWORD")).isTrue();
        assertThat(policy.isPasswordSource("env:COFFER_KEYRING_PASSWORD")).isTrue();
        assertThat(policy.isPasswordSource("env:COFFER_MASTER_PASSWORD")).isTrue();
        assertThat(policy.isPasswordSource("env:MY_PASSWORD")).isTrue();
        assertThat(policy.isPasswordSource("env:HOST")).isFalse();
        assertThat(policy.isPasswordSource("keyring:_/resilient_secret")).isFalse();
        assertThat(policy.isPasswordSource("enc:abc")).isFalse();
    }
}
