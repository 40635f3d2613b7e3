package org.coffer.credentials.xml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormerPidTest {

    @Test
    void aConfigurationUnderTheFormerPidIsSeenAloneOrMergedWithTheCurrentOne() {
        assertThat(FormerPid.configures(Map.of("service.pid", "org.coffer.format.xml"))).isTrue();
        assertThat(FormerPid.configures(Map.of("service.pid",
                new String[] {"org.coffer.format.xml", "org.coffer.credentials.xml"}))).isTrue();
        assertThat(FormerPid.configures(Map.of("service.pid",
                List.of("org.coffer.format.xml", "org.coffer.credentials.xml")))).isTrue();
    }

    @Test
    void theCurrentPidOrNoConfigurationIsNoWarning() {
        assertThat(FormerPid.configures(Map.of("service.pid", "org.coffer.credentials.xml"))).isFalse();
        assertThat(FormerPid.configures(Map.of("service.pid", List.of("org.coffer.credentials.xml")))).isFalse();
        assertThat(FormerPid.configures(Map.of("component.name", "x"))).isFalse();
    }

    @Test
    void theWarningNamesBothPids() {
        assertThat(FormerPid.warning(XmlCredentialRepository.PID))
                .contains("org.coffer.format.xml").contains("org.coffer.credentials.xml");
    }
}
