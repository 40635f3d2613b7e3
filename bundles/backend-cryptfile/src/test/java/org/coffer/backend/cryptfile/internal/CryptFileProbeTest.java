package org.coffer.backend.cryptfile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.util.converter.Converters;

/** The cryptfile backend's configuration, checked before the backend is registered. */
class CryptFileProbeTest {

    private static String whyNot(Map<String, Object> values) {
        return CryptFileProbe.whyNot(Converters.standardConverter().convert(values).to(CryptFileConfig.class));
    }

    @Test
    void aWorkableConfigurationHasNoReason() {
        assertThat(whyNot(Map.of("file", "/tmp/cryptfile_pass.cfg"))).isNull();
        assertThat(whyNot(Map.of("file", "/tmp/c.cfg", "password.service", "coffer", "password.username", "pw")))
                .isNull();
    }

    @Test
    void eachConfigurationErrorIsTheReasonNamingThePid() {
        assertThat(whyNot(Map.of("file", "bad\0path"))).contains("org.coffer.backend.cryptfile", "cannot work");
        assertThat(whyNot(Map.of("file", "/tmp/c.cfg", "max.file.size.mib", 0)))
                .contains("max.file.size.mib must be 1 or more");
        assertThat(whyNot(Map.of("file", "/tmp/c.cfg", "password.service", "coffer")))
                .contains("password.service and password.username go together");
    }
}
