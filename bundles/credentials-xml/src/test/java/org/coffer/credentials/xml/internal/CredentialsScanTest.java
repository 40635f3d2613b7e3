package org.coffer.credentials.xml.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.coffer.ConfigFormatException;
import org.junit.jupiter.api.Test;

class CredentialsScanTest {

    private static final Path FILE = Path.of("/coffer/conf/credentials.xml");
    private static final String START = "<configuration xmlns=\"" + CredentialsXml.NAMESPACE + "\">\n<environments>\n";

    private static CredentialsScan scan(String xml) {
        return CredentialsScan.of(FILE, xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFileThatIsNotXmlIsRefusedForThatBeforeWhatTheModelLacks() {
        String xml = START + "<environment>\n<credentials><credential id=\"c\"/></credentials></environment>\n"
                + "</environments>\n<broken>\n</configuration>";
        assertThatThrownBy(() -> scan(xml)).isInstanceOf(ConfigFormatException.class).hasMessageContaining("line 7").hasMessageContaining("\"broken\"")
                .hasMessageNotContaining("attribute id");
    }

    @Test
    void theFirstFaultOfTheModelInDocumentOrderIsReported() {
        CredentialsScan scan = scan(START + "<environment id=\"e\"><credentials>\n<credential id=\"c\" user=\"u\"/>\n"
                + "<credential user=\"u\" password=\"p\"/>\n</credentials></environment>\n<environment id=\"e\"/>\n"
                + "</environments>\n</configuration>");
        assertThatThrownBy(scan::requireModel).isInstanceOf(ConfigFormatException.class)
                .hasMessageContaining("line 4").hasMessageContaining("the attribute password on <credential>");
    }

    @Test
    void onlyTheElementsOfPineapplesSchemaAreModelledWhateverTheirNamespace() {
        CredentialsScan scan = scan(START + "<environment id=\"e\" description=\"d\"><credentials>\n"
                + "<credential id=\"c\" user=\"u\" password=\"p\"/>\n<x:credential xmlns:x=\"urn:x\" id=\"x\" user=\"u\""
                + " password=\"p\"/>\n<other><credential id=\"deeper\"/></other>\n<credential x:id=\"prefixed\""
                + " xmlns:x=\"urn:x\" id=\"d\" user=\"u\" password=\"p\"/>\n</credentials></environment>\n"
                + "<resources><environment/></resources>\n</environments>\n</configuration>").requireModel();
        assertThat(scan.environments).containsOnlyKeys("e");
        assertThat(scan.environments.get("e").description).isEqualTo("d");
        assertThat(scan.environments.get("e").credentials).containsOnlyKeys("c", "x", "d");
        assertThat(scan.environments.get("e").credentials.get("x").line).isEqualTo(5);
    }

    @Test
    void aRootOtherThanConfigurationIsNamedAsWritten() {
        assertThatThrownBy(() -> scan("<p:root xmlns:p=\"urn:p\"><environments/></p:root>").requireModel())
                .hasMessageContaining("not <p:root>");
    }
}
