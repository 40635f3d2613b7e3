package org.coffer.webconsole.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FormBodyTest {

    private static FormBody form(String body) {
        return FormBody.parse(body.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void decodesFieldsAndKeepsPasswordsAsCharactersUntilClosed() {
        FormBody form = form("action=set&service=db+main&secret=p%C3%A4ss%26w%3Dord&empty=&flag&confirm=on");
        assertThat(form.text("action")).contains("set");
        assertThat(form.text("service")).contains("db main");
        char[] secret = form.secret("secret");
        assertThat(new String(secret)).isEqualTo("päss&w=ord");
        assertThat(form.text("empty")).isEmpty();
        assertThat(form.text("flag")).isEmpty();
        assertThat(form.checked("confirm")).isTrue();
        assertThat(form.checked("flag")).isFalse();
        assertThat(form.secret("absent")).isEmpty();
        form.close();
        assertThat(secret).containsOnly('\0');
    }

    @Test
    void takesABrokenEscapeAsItIsAndRefusesWhatIsNotUtf8OrTooLarge() {
        assertThat(form("a=100%&b=%zz&c=%4").text("a")).contains("100%");
        assertThat(form("b=%zz").text("b")).contains("%zz");
        assertThat(form("c=%4").text("c")).contains("%4");
        assertThatThrownBy(() -> form("x=%FF%FE")).hasMessageContaining("not UTF-8");
        byte[] large = new byte[FormBody.LIMIT + 1];
        java.util.Arrays.fill(large, (byte) 'a');
        assertThatThrownBy(() -> FormBody.read(new ByteArrayInputStream(large))).hasMessageContaining("larger than");
    }

    @Test
    void escapesEveryTextItWrites() {
        assertThat(Html.escape("<script>\"x\"&'y'</script>"))
                .isEqualTo("&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;");
        assertThat(Json.escape("a\"b\\c</script>\n")).isEqualTo("a\\\"b\\\\c\\u003c/script\\u003e\\u000a");
    }
}
