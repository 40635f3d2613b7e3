package org.coffer.backend.wincred.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import org.junit.jupiter.api.Test;

/** The JNA structure against CREDENTIALW of wincred.h on 64-bit Windows (LP64 and LLP64 agree on it). */
class CredentialStructureTest {

    @Test
    void hasTheFieldsSizesAndOffsetsOfCredentialW() {
        assertThat(Native.POINTER_SIZE).as("a 64-bit JVM").isEqualTo(8);
        CredentialStructure c = new CredentialStructure();
        assertThat(c.order()).containsExactly("Flags", "Type", "TargetName", "Comment", "LastWrittenLow",
                "LastWrittenHigh", "CredentialBlobSize", "CredentialBlob", "Persist", "AttributeCount", "Attributes",
                "TargetAlias", "UserName");
        assertThat(c.size()).isEqualTo(80);
        assertThat(c.offsetOf("Flags")).isZero();
        assertThat(c.offsetOf("Type")).isEqualTo(4);
        assertThat(c.offsetOf("TargetName")).isEqualTo(8);
        assertThat(c.offsetOf("Comment")).isEqualTo(16);
        assertThat(c.offsetOf("LastWrittenLow")).isEqualTo(24);
        assertThat(c.offsetOf("CredentialBlobSize")).isEqualTo(32);
        assertThat(c.offsetOf("CredentialBlob")).isEqualTo(40);
        assertThat(c.offsetOf("Persist")).isEqualTo(48);
        assertThat(c.offsetOf("AttributeCount")).isEqualTo(52);
        assertThat(c.offsetOf("Attributes")).isEqualTo(56);
        assertThat(c.offsetOf("TargetAlias")).isEqualTo(64);
        assertThat(c.offsetOf("UserName")).isEqualTo(72);
    }

    @Test
    void isAbsentOutsideWindowsWithItsReason() {
        assertThat(WinCredProbe.whyNot("Linux")).contains("Windows only").contains("Linux");
    }
}
