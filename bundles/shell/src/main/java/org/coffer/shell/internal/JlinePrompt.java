package org.coffer.shell.internal;

import java.io.IOException;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/** A prompt without echo on the interactive shell's jline terminal; loaded only when there is one. */
final class JlinePrompt {

    private JlinePrompt() {
    }

    static char[] read(Object terminal, String prompt) throws IOException {
        LineReader reader = LineReaderBuilder.builder().terminal((Terminal) terminal).build();
        try {
            return reader.readLine(prompt, '\0').toCharArray();
        } catch (UserInterruptException | EndOfFileException e) {
            throw new IOException("No value was entered");
        }
    }
}
