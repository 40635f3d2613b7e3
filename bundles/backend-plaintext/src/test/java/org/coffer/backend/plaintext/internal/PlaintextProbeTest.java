package org.coffer.backend.plaintext.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

class PlaintextProbeTest {

    private static PlaintextConfig config(Map<String, Object> values) {
        return Converters.standardConverter().convert(values).to(PlaintextConfig.class);
    }

    @Test
    void aWorkableConfigurationHasNoReason() {
        assertThat(PlaintextProbe.whyNot(config(Map.of()), Map.of("HOME", "/home/ann"))).isNull();
        assertThat(PlaintextProbe.whyNot(config(Map.of("file", "/tmp/k.cfg")), Map.of())).isNull();
    }

    @Test
    void aConfigurationThatCannotWorkIsTheReasonNamingItsPid() {
        assertThat(PlaintextProbe.whyNot(config(Map.of("file", "bad\0path")), Map.of()))
                .contains("org.coffer.backend.plaintext", "cannot work");
        assertThat(PlaintextProbe.whyNot(config(Map.of("max.file.size.mib", 0)), Map.of("HOME", "/home/ann")))
                .contains("max.file.size.mib must be 1 or more, not 0");
        assertThat(PlaintextProbe.whyNot(config(Map.of("max.file.size.mib", "lots")), Map.of("HOME", "/home/ann")))
                .contains("org.coffer.backend.plaintext");
        assertThat(PlaintextProbe.whyNot(config(Map.of("name", " ")), Map.of("HOME", "/home/ann")))
                .contains("name must not be blank");
    }
}
