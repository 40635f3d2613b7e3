package org.coffer.provider.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.coffer.Secret;
import org.junit.jupiter.api.Test;

class EnvironmentResolverTest {

    @Test
    void resolvesVariablesAndFindsNothingForMissingOnes() {
        EnvironmentResolver resolver = new EnvironmentResolver(Map.of("API_KEY", "k3y"));
        assertThat(resolver.resolve("API_KEY").map(Secret::reveal)).contains("k3y");
        assertThat(resolver.resolve("MISSING")).isEmpty();
        assertThatThrownBy(() -> resolver.resolve("")).isInstanceOf(IllegalArgumentException.class);
        EnvironmentResolver withPassword = new EnvironmentResolver(Map.of("COFFER_KEYRING_PASSWORD", "s3cr3t-value"));
        assertThatThrownBy(() -> withPassword.resolve("COFFER_KEYRING_PASSWORD"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("s3cr3t-value");
    }
}
