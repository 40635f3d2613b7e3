package org.coffer.configadmin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResolutionPolicyTest {

    private final ResolutionPolicy policy = new ResolutionPolicy(new String[] {"com.example.app", "com.example.pool*", " "},
            Set.of("MY_PASSWORD"), Set.of("vault/unlock"));

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
    void resolvesAppConfigSectionsButNeverCoffersOwnPids() {
        assertThat(policy.mayResolve("resilient", null, properties(AppConfigPublisher.SOURCE, "/x/app.config"))).isTrue();
        assertThat(policy.mayResolve("org.coffer.backend.plaintext", null,
                properties(AppConfigPublisher.SOURCE, "/x/app.config"))).isFalse();
        ResolutionPolicy everything = new ResolutionPolicy(new String[] {"*"}, Set.of(), Set.of());
        assertThat(everything.mayResolve("org.coffer.provider", null, properties())).isFalse();
        assertThat(everything.mayResolve("x~1", "org.coffer.backend.etcd", properties())).isFalse();
        assertThat(everything.mayResolve("anything", null, properties())).isTrue();
    }

    @Test
    void aKeyringPasswordIsNeverAReference() {
        assertThat(policy.isPasswordSource("env:KEYRING_CRYPTFILE_PASSWORD")).isTrue();
        assertThat(policy.isPasswordSource("env:COFFER_KEYRING_PASSWORD")).isTrue();
        assertThat(policy.isPasswordSource("env:COFFER_MASTER_PASSWORD")).isTrue();
        assertThat(policy.isPasswordSource("env:MY_PASSWORD")).isTrue();
        assertThat(policy.isPasswordSource("keyring:vault/unlock")).isTrue();
        assertThat(policy.isPasswordSource("env:HOST")).isFalse();
        assertThat(policy.isPasswordSource("keyring:_/resilient_secret")).isFalse();
        assertThat(policy.isPasswordSource("enc:abc")).isFalse();
    }
}
